// Pure helpers behind the forms: file names, dates, and the details form <-> CaseDetails.
import type { BusinessKind, CaseDetails, TransferReason } from "../api/bindings";

export const KINDS: BusinessKind[] = ["courier-station", "shop", "company"];
export const REASONS: TransferReason[] = ["sale-whole", "sale-list", "merger", "division", "dissolution", "bankruptcy"];

/** A safe file name from a business name: characters no file system accepts become "_". */
export function caseFileName(name: string, fallback = "未命名案件"): string {
  const cleaned = name
    .trim()
    .replace(/[/\\:*?"<>|\u0000-\u001f]/g, "_")
    .replace(/^\.+/, "");
  return (cleaned || fallback) + ".handover";
}

/** folder + "/" + file name, without doubling the separator. */
export function casePath(folder: string, name: string): string {
  const f = folder.trim().replace(/[/\\]+$/, "");
  return `${f}/${caseFileName(name)}`;
}

/** A real calendar date written YYYY-MM-DD. */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The details form as the owner edits it: every field a string. */
export interface DetailsForm {
  kind: BusinessKind;
  reason: TransferReason;
  sellerName: string;
  sellerContact: string;
  responsible: string;
  noRecipient: boolean;
  recipientName: string;
  recipientContact: string;
  handoverDate: string;
  notes: string;
}

export function toForm(d: CaseDetails): DetailsForm {
  return {
    kind: d.kind,
    reason: d.reason,
    sellerName: d.seller.name,
    sellerContact: d.seller.contact,
    responsible: d.seller.responsible_person,
    noRecipient: d.recipient === null && d.reason === "dissolution",
    recipientName: d.recipient?.name ?? "",
    recipientContact: d.recipient?.contact ?? "",
    handoverDate: d.handover_date ?? "",
    notes: d.notes,
  };
}

/** Only a dissolution may go without a recipient; an empty recipient elsewhere stays an open item. */
export function fromForm(f: DetailsForm): CaseDetails {
  const noRecipient = f.reason === "dissolution" && f.noRecipient;
  const hasRecipient = !noRecipient && (f.recipientName.trim() !== "" || f.recipientContact.trim() !== "");
  return {
    kind: f.kind,
    reason: f.reason,
    seller: { name: f.sellerName.trim(), contact: f.sellerContact.trim(), responsible_person: f.responsible.trim() },
    recipient: hasRecipient ? { name: f.recipientName.trim(), contact: f.recipientContact.trim() } : null,
    handover_date: f.handoverDate.trim() === "" ? null : f.handoverDate.trim(),
    notes: f.notes,
  };
}

export function sameDetails(a: CaseDetails, b: CaseDetails): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
