// Every text the owner sees, in Chinese (the default) and English. The English dictionary is typed
// against the Chinese one, so a missing key does not compile. The texts of one screen live beside it
// (steps/<step-id>/texts.ts, wizard/texts.ts) and are merged here into one dictionary per language;
// below are the app shell's texts and those several screens share.
import { createContext, useContext } from "react";
import type { BusinessKind, FieldType, Lang, Text, TransferReason } from "../api/bindings";
import { classificationEn, classificationZh } from "../steps/classification/texts";
import { decisionsEn, decisionsZh } from "../steps/decisions/texts";
import { inventoryEn, inventoryZh } from "../steps/inventory/texts";
import { minimisationEn, minimisationZh } from "../steps/minimisation/texts";
import { summaryEn, summaryZh } from "../steps/summary/texts";
import { transferEn, transferZh } from "../steps/transfer/texts";
import { destructionEn, destructionZh } from "../steps/destruction/texts";
import { componentsEn, componentsZh } from "../components/texts";
import { noticesEn, noticesZh } from "../steps/notices/texts";
import { wizardEn, wizardZh } from "../wizard/texts";

const baseZh = {
  appTitle: "客户信息交接助手",
  appTagline: "转让、合并或关店时，帮您一步步依法处理客户信息：哪些交给接手方，哪些依法留存，哪些删除，并留下凭证。",
  language: "语言",
  newCase: "新建交接案件",
  newCaseHint: "开始一次新的转让、合并或注销",
  openCase: "打开案件",
  openCaseHint: "继续处理已有的案件文件",
  recentCases: "最近的案件",
  noRecentCases: "还没有案件。点击“新建交接案件”开始。",
  lastOpened: "上次打开",
  fileMissing: "文件已移动或删除",
  removeFromList: "从列表移除",
  cancel: "取消",
  back: "返回",
  working: "请稍候…",
  newCaseTitle: "新建交接案件",
  businessName: "店名或公司名",
  businessNameHint: "例如：张记驿站。也会用作案件文件名。",
  businessKind: "业务类型",
  "kind.courier-station": "快递驿站",
  "kindHint.courier-station": "代收代发快递，保存收件人姓名、电话、取件记录",
  "kind.shop": "门店",
  "kindHint.shop": "有会员、储值卡或积分的店铺",
  "kind.company": "公司",
  "kindHint.company": "有客户档案、合同、发票的企业",
  reason: "交接原因",
  "reason.sale-whole": "整体转让",
  "reasonHint.sale-whole": "整个店或公司卖给接手方，由对方继续经营",
  "reason.sale-list": "只转让客户名单",
  "reasonHint.sale-list": "自己继续经营，只卖客户名单：每位客户都要单独同意",
  "reason.merger": "合并",
  "reasonHint.merger": "与另一家合并成一家，客户转到合并后的一方",
  "reason.division": "分立",
  "reasonHint.division": "一家拆成几家，客户分到其中一方",
  "reason.dissolution": "解散或注销",
  "reasonHint.dissolution": "不再经营：没有接手方时，客户信息除依法留存外都要删除",
  "reason.bankruptcy": "破产",
  "reasonHint.bankruptcy": "依法破产，客户信息随资产一起处理",
  saveIn: "保存位置",
  choose: "选择…",
  fileWillBe: "案件文件将保存为",
  passphrase: "密码",
  passphraseConfirm: "再次输入密码",
  passphraseWarning: "密码忘记后无法找回，案件文件将无法打开。请记在安全的地方，例如写在纸上锁进抽屉。",
  passphraseWhy: "案件文件里有客户信息，会用这个密码加密保存。",
  passphraseMismatch: "两次输入的密码不一致。",
  create: "创建案件",
  openTitle: "打开案件",
  caseFile: "案件文件",
  open: "打开",
  steps: "步骤",
  "step.details": "案件信息",
  "step.overview": "概览",
  closeCase: "关闭案件",
  detailsTitle: "第 1 步：案件信息",
  whyItMatters: "为什么重要",
  detailsWhy1: "客户有权知道自己的信息交给了谁、怎么联系对方。《个人信息保护法》第二十二条要求告知客户接收方的名称（或姓名）和联系方式。",
  detailsWhy2: "交接原因决定了法律上的做法：合并、分立、解散、破产或整体转让时，通知客户即可；只卖客户名单时，每位客户都要单独同意（第二十三条）。",
  seller: "转让方（您）",
  sellerName: "名称",
  sellerContact: "联系方式",
  sellerContactHint: "电话、邮箱或地址，客户和接手方能找到您",
  responsible: "客户信息负责人",
  responsibleHint: "负责这次交接、对客户信息负责的人",
  legalForm: "经营主体类型（看营业执照）",
  legalFormHint: "个体工商户不能申请破产；有些规定只约束公司等企业法人。选好后立即保存。",
  "legalForm.none": "还没选",
  "legalForm.individual-business": "个体工商户",
  "legalForm.company": "公司（企业法人）",
  "legalForm.other": "其他（个人独资企业、合伙企业等）",
  recipient: "接收方（接手方）",
  recipientName: "名称或姓名",
  recipientContact: "联系方式",
  recipientHint: "会写进给客户的通知里",
  noRecipient: "没有接收方（例如直接注销）",
  handoverDate: "计划交接日期",
  dateFormat: "格式：年-月-日，例如 2026-12-31",
  dateInvalid: "请按“年-月-日”填写一个真实的日期，例如 2026-12-31。",
  notes: "备注",
  save: "保存",
  saved: "已保存",
  unsaved: "有未保存的修改",
  leaveUnsaved: "有修改还没有保存。确定离开吗？",
  stillToDo: "还需补充",
  nothingToDo: "案件信息已填写完整。",
  overviewTitle: "概览",
  counts: "客户信息",
  sources: "来源",
  customers: "客户",
  records: "记录",
  countsHint: "导入客户名单后，这里会显示数量。",
  auditTitle: "操作记录（审计日志）",
  auditHint: "每一次修改都会记下时间、操作人和改了什么，事后无法悄悄改动。",
  auditTime: "时间",
  auditWho: "操作人",
  auditWhat: "内容",
  verifyAudit: "检查审计日志",
  auditHead: "审计日志末条哈希（请抄在交接清单上，事后若有人改动日志，就对不上了）",
  auditBrokenTitle: "审计日志被改动过",
  auditBrokenText: "打开案件时检查发现：审计日志从第 {seq} 条起不完整或被改动过。可能有人不通过本软件修改了案件文件。在您确认知悉之前，本软件不会再修改这个案件。",
  auditBrokenAcknowledge: "我已知悉，继续使用",
  "action.audit.break.acknowledged": "确认知悉审计日志被改动",
  "action.case.create": "创建案件",
  "action.case.details.update": "修改案件信息",
  none: "（未填写）",
  noneRecipient: "无接收方",
  error: "出错了",
  "field.kind": "业务类型",
  "field.reason": "交接原因",
  "field.seller.name": "转让方名称",
  "field.seller.contact": "转让方联系方式",
  "field.seller.responsible_person": "信息负责人",
  "field.recipient.name": "接收方名称",
  "field.recipient.contact": "接收方联系方式",
  "field.handover_date": "交接日期",
  "field.notes": "备注",
  "step.import": "导入客户名单",
  "fieldType.name": "姓名",
  "fieldType.mobile": "手机号",
  "fieldType.landline": "固定电话",
  "fieldType.id_card": "身份证号",
  "fieldType.address": "地址",
  "fieldType.bank_card": "银行卡号",
  "fieldType.email": "电子邮箱",
  "fieldType.qq": "QQ号",
  "fieldType.wechat": "微信号",
  "fieldType.plate": "车牌号",
  "fieldType.waybill": "快递单号",
  "fieldType.pickup_code": "取件码",
  "fieldType.courier_company": "快递公司",
  "fieldType.member_number": "会员号",
  "fieldType.prepaid_balance": "储值余额",
  "fieldType.points": "积分",
  "fieldType.last_activity": "最近消费/到店日期",
  "fieldType.birthday": "生日",
  "fieldType.gender": "性别",
  "fieldType.notes": "备注",
  "fieldType.other": "其他",
  "fieldType.organisation_name": "单位名称",
  "fieldType.contact_person": "联系人",
  "fieldType.bank_branch": "开户行",
  "fieldType.amount_owed": "欠款金额",
  "fieldType.transaction_amount": "交易金额",
  "fieldType.top_up_amount": "充值金额",
  "fieldType.document_date": "单据日期",
  "fieldType.parcel_arrival_time": "入库时间",
  "fieldType.pickup_time": "取件时间",
  "fieldType.parcel_status": "包裹状态",
  "sourceKind.paper": "纸质登记本、单据",
  "sourceKind.phone-contacts": "手机通讯录、短信",
  "sourceKind.wechat-group": "微信群、微信好友",
  "sourceKind.courier-platform": "快递平台系统",
  "sourceKind.other": "其他",
  "step.overviewLink": "概览和操作记录",
  "action.wizard.item.state": "检查项状态",
  "action.wizard.item.note": "检查项备注",
  "action.wizard.evidence.add": "附上凭证",
  "action.wizard.evidence.remove": "删除凭证",
  "action.wizard.evidence.export": "另存凭证",
  "action.wizard.step": "切换步骤",
  "action.wizard.source.add": "登记来源",
  "action.wizard.source.update": "修改来源",
  "action.wizard.source.remove": "删除来源",
  "action.import": "导入客户名单",
};

/** Every text, in Chinese. Steps with many texts keep them in `texts/`, merged here. */
export const zh = { ...baseZh, ...wizardZh, ...inventoryZh, ...summaryZh, ...classificationZh, ...minimisationZh, ...decisionsZh, ...transferZh, ...destructionZh, ...componentsZh, ...noticesZh };

export type Key = keyof typeof zh;

const baseEn: Record<keyof typeof baseZh, string> = {
  appTitle: "Handover",
  appTagline: "When you sell, merge or close your business, this app walks you through handling customer information lawfully: what goes to the buyer, what the law says to keep, what to delete — with proof.",
  language: "Language",
  newCase: "New handover case",
  newCaseHint: "Start a new sale, merger or closure",
  openCase: "Open a case",
  openCaseHint: "Continue with an existing case file",
  recentCases: "Recent cases",
  noRecentCases: "No cases yet. Click “New handover case” to begin.",
  lastOpened: "Last opened",
  fileMissing: "File moved or deleted",
  removeFromList: "Remove from list",
  cancel: "Cancel",
  back: "Back",
  working: "Please wait…",
  newCaseTitle: "New handover case",
  businessName: "Shop or company name",
  businessNameHint: "For example: Zhang's Pickup Station. Also used as the case file name.",
  businessKind: "Kind of business",
  "kind.courier-station": "Courier pickup station",
  "kindHint.courier-station": "Receives parcels: keeps recipients' names, phones and pickups",
  "kind.shop": "Shop",
  "kindHint.shop": "A shop with members, prepaid cards or points",
  "kind.company": "Company",
  "kindHint.company": "A business with customer files, contracts and invoices",
  reason: "Why the handover",
  "reason.sale-whole": "Sale of the whole business",
  "reasonHint.sale-whole": "The buyer takes over the whole shop or company",
  "reason.sale-list": "Sale of the customer list only",
  "reasonHint.sale-list": "You go on trading and sell only the list: every customer must agree separately",
  "reason.merger": "Merger",
  "reasonHint.merger": "Two businesses become one; customers move to the merged one",
  "reason.division": "Division",
  "reasonHint.division": "One business splits; customers go to one of the parts",
  "reason.dissolution": "Dissolution or deregistration",
  "reasonHint.dissolution": "The business closes: with no successor, everything not kept by law is deleted",
  "reason.bankruptcy": "Bankruptcy",
  "reasonHint.bankruptcy": "Customer information is handled with the bankrupt estate",
  saveIn: "Save in folder",
  choose: "Choose…",
  fileWillBe: "The case file will be",
  passphrase: "Passphrase",
  passphraseConfirm: "Repeat passphrase",
  passphraseWarning: "A forgotten passphrase cannot be recovered, and the case file could not be opened. Keep it somewhere safe, for example on paper in a locked drawer.",
  passphraseWhy: "The case file holds customer information and is encrypted with this passphrase.",
  passphraseMismatch: "The two passphrases differ.",
  create: "Create case",
  openTitle: "Open a case",
  caseFile: "Case file",
  open: "Open",
  steps: "Steps",
  "step.details": "Case details",
  "step.overview": "Overview",
  closeCase: "Close case",
  detailsTitle: "Step 1: Case details",
  whyItMatters: "Why it matters",
  detailsWhy1: "Customers have a right to know who receives their information and how to reach them. PIPL Art. 22 requires telling them the recipient's name and contact.",
  detailsWhy2: "The reason decides the legal route: for a merger, division, dissolution, bankruptcy or sale of the whole business, customers are told; when only the list is sold, each customer must agree separately (Art. 23).",
  seller: "Seller (you)",
  sellerName: "Name",
  sellerContact: "Contact",
  sellerContactHint: "Phone, email or address where customers and the buyer reach you",
  responsible: "Person responsible for customer information",
  responsibleHint: "Who runs this handover and answers for the customer information",
  legalForm: "Legal form (see the business licence)",
  legalFormHint: "An individual business (个体工商户) cannot go bankrupt; some rules bind only companies and other enterprise legal persons. Saved as soon as chosen.",
  "legalForm.none": "Not chosen yet",
  "legalForm.individual-business": "Individual business (个体工商户)",
  "legalForm.company": "Company (enterprise legal person)",
  "legalForm.other": "Other (sole proprietorship, partnership, …)",
  recipient: "Recipient (buyer)",
  recipientName: "Name",
  recipientContact: "Contact",
  recipientHint: "Goes into the notice to customers",
  noRecipient: "No recipient (e.g. closing down)",
  handoverDate: "Planned handover date",
  dateFormat: "Format: year-month-day, e.g. 2026-12-31",
  dateInvalid: "Enter a real date as year-month-day, e.g. 2026-12-31.",
  notes: "Notes",
  save: "Save",
  saved: "Saved",
  unsaved: "Unsaved changes",
  leaveUnsaved: "Some changes are not saved. Leave anyway?",
  stillToDo: "Still to fill in",
  nothingToDo: "The case details are complete.",
  overviewTitle: "Overview",
  counts: "Customer information",
  sources: "Sources",
  customers: "Customers",
  records: "Records",
  countsHint: "These fill in once customer lists are imported.",
  auditTitle: "History (audit log)",
  auditHint: "Every change is recorded with time, who and what; it cannot be changed quietly afterwards.",
  auditTime: "Time",
  auditWho: "Who",
  auditWhat: "What",
  verifyAudit: "Check the audit log",
  auditHead: "Audit log head hash (copy it onto the handover summary: a later change to the log will not match it)",
  auditBrokenTitle: "The audit log was changed",
  auditBrokenText: "When the case was opened, the audit log was found incomplete or changed from entry {seq} on. Someone may have changed the case file outside this app. The app makes no further change to this case until you acknowledge this.",
  auditBrokenAcknowledge: "I understand — go on",
  "action.audit.break.acknowledged": "Acknowledged a changed audit log",
  "action.case.create": "Case created",
  "action.case.details.update": "Case details changed",
  none: "(not given)",
  noneRecipient: "No recipient",
  error: "Something went wrong",
  "field.kind": "Kind of business",
  "field.reason": "Reason",
  "field.seller.name": "Seller name",
  "field.seller.contact": "Seller contact",
  "field.seller.responsible_person": "Responsible person",
  "field.recipient.name": "Recipient name",
  "field.recipient.contact": "Recipient contact",
  "field.handover_date": "Handover date",
  "field.notes": "Notes",
  "step.import": "Import customer lists",
  "fieldType.name": "Name",
  "fieldType.mobile": "Mobile number",
  "fieldType.landline": "Landline",
  "fieldType.id_card": "ID number",
  "fieldType.address": "Address",
  "fieldType.bank_card": "Bank card",
  "fieldType.email": "E-mail",
  "fieldType.qq": "QQ number",
  "fieldType.wechat": "WeChat ID",
  "fieldType.plate": "Licence plate",
  "fieldType.waybill": "Waybill number",
  "fieldType.pickup_code": "Pickup code",
  "fieldType.courier_company": "Courier company",
  "fieldType.member_number": "Member number",
  "fieldType.prepaid_balance": "Prepaid balance",
  "fieldType.points": "Points",
  "fieldType.last_activity": "Last activity",
  "fieldType.birthday": "Birthday",
  "fieldType.gender": "Sex",
  "fieldType.notes": "Notes",
  "fieldType.other": "Other",
  "fieldType.organisation_name": "Organisation name",
  "fieldType.contact_person": "Contact person",
  "fieldType.bank_branch": "Bank branch",
  "fieldType.amount_owed": "Amount owed",
  "fieldType.transaction_amount": "Transaction amount",
  "fieldType.top_up_amount": "Top-up amount",
  "fieldType.document_date": "Document date",
  "fieldType.parcel_arrival_time": "Parcel arrival time",
  "fieldType.pickup_time": "Pickup time",
  "fieldType.parcel_status": "Parcel status",
  "sourceKind.paper": "Paper logbook or slips",
  "sourceKind.phone-contacts": "Phone contacts and messages",
  "sourceKind.wechat-group": "WeChat group or contacts",
  "sourceKind.courier-platform": "Courier platform system",
  "sourceKind.other": "Other",
  "step.overviewLink": "Overview and history",
  "action.wizard.item.state": "Checklist item answered",
  "action.wizard.item.note": "Checklist note",
  "action.wizard.evidence.add": "Evidence attached",
  "action.wizard.evidence.remove": "Evidence removed",
  "action.wizard.evidence.export": "Evidence copy saved",
  "action.wizard.step": "Step changed",
  "action.wizard.source.add": "Place registered",
  "action.wizard.source.update": "Place changed",
  "action.wizard.source.remove": "Place removed",
  "action.import": "Customer list imported",
};

export const en: Record<Key, string> = { ...baseEn, ...wizardEn, ...inventoryEn, ...summaryEn, ...classificationEn, ...minimisationEn, ...decisionsEn, ...transferEn, ...destructionEn, ...componentsEn, ...noticesEn };

export const dictionaries: Record<Lang, Record<Key, string>> = { "zh-CN": zh, en };

export type T = (key: Key) => string;

export function translator(lang: Lang): T {
  const dict = dictionaries[lang];
  return (key) => dict[key];
}

/** Looks up a key built at run time (e.g. an audit action); unknown keys come back unchanged. */
export function tryT(lang: Lang, key: string): string {
  const dict = dictionaries[lang] as Record<string, string>;
  return dict[key] ?? key;
}

/** Every field type a column can be mapped to, in the order the mapping screen lists them. */
export const FIELD_TYPES: FieldType[] = [
  "name", "mobile", "landline", "id_card", "address", "bank_card", "email", "qq", "wechat", "plate", "waybill",
  "pickup_code", "courier_company", "member_number", "prepaid_balance", "points", "last_activity", "birthday",
  "gender", "notes", "other", "organisation_name", "contact_person", "bank_branch", "amount_owed",
  "transaction_amount", "top_up_amount", "document_date", "parcel_arrival_time", "pickup_time", "parcel_status",
];

export const kindLabel = (t: T, k: BusinessKind) => t(`kind.${k}` as Key);
export const reasonLabel = (t: T, r: TransferReason) => t(`reason.${r}` as Key);

export interface I18n {
  lang: Lang;
  t: T;
  setLang: (l: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: "zh-CN", t: translator("zh-CN"), setLang: () => {} });
export const useI18n = () => useContext(I18nContext);

/** The wizard content and the core's texts carry both languages; the owner's choice picks one, so switching
 * never reloads. The one picker: screens use `pick(text, lang)` or the `usePick()` hook. */
export const pick = (text: Text, lang: Lang): string => (lang === "en" ? text.en : text.zh);

/** `pick` bound to the owner's language. */
export function usePick(): (text: Text) => string {
  const { lang } = useI18n();
  return (text) => pick(text, lang);
}

/** Fills `{name}` placeholders: the one `fill` of the UI. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** A timestamp in the owner's local time. */
export function localTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === "en" ? "en-GB" : "zh-CN", { hour12: false });
}
