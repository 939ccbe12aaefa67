// Step 7 (the agreement with the recipient): the data-security agreement and the impact assessment, filled
// from the case, saved as PDF or DOCX for both sides to check and sign.
import { api } from "../../api/api";
import { useCase, useMutation } from "../../case/CaseContext";
import { OperatorField, SaveCaseDocument } from "../../components/CaseDocuments";
import { useI18n } from "../../i18n/i18n";

export function AgreementStep() {
  const { t } = useI18n();
  const { review, overview } = useCase();
  const save = useMutation(api.saveCaseDocument, { invalidates: [] });
  const open = review?.open_blocking.length ?? 0;
  const business = overview.details.seller.name;
  return (
    <section data-testid="agreement-screen">
      <h2>{t("papers.doc.agreement")}</h2>
      <p className="hint">{t("papers.agreementHint")}</p>
      <SaveCaseDocument document="agreement" openBlocking={open} business={business} save={save} />
      <h2>{t("papers.doc.assessment")}</h2>
      <p className="hint">{t("papers.assessmentHint")}</p>
      <SaveCaseDocument document="assessment" openBlocking={open} business={business} save={save} />
      <OperatorField responsible={overview.details.seller.responsible_person} />
    </section>
  );
}
