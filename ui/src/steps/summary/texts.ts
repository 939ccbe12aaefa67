// Texts of the summary step (zh-CN first; the English is typed against it).
export const summaryZh = {
  "summary.title": "全部回答",
  "summary.totals": "适用的检查项共 {applicable} 项：已完成 {done}，不适用 {na}，以后再说 {later}，未处理 {open}；凭证 {files} 个。",
  "summary.openTitle": "还没完成的必须项",
  "summary.allDone": "所有必须项都已完成，可以保存正式的交接清单。",
  "summary.edit": "修改",
  "summary.goTo": "去处理",
  "summary.item": "检查项",
  "summary.answer": "回答",
  "summary.noteAndEvidence": "备注和凭证",
  "summary.caseTitle": "案件",
  "summary.sourcesTitle": "登记的其他来源",
};

export const summaryEn: Record<keyof typeof summaryZh, string> = {
  "summary.title": "Every answer",
  "summary.totals": "{applicable} checklist items apply: {done} done, {na} do not apply, {later} later, {open} open. Evidence files: {files}.",
  "summary.openTitle": "Required items still open",
  "summary.allDone": "Every required item is handled; the final handover summary can be saved.",
  "summary.edit": "Edit",
  "summary.goTo": "Go there",
  "summary.item": "Item",
  "summary.answer": "Answer",
  "summary.noteAndEvidence": "Note and evidence",
  "summary.caseTitle": "The case",
  "summary.sourcesTitle": "Other registered places",
};
