import { type ActionFunctionArgs, data, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary } from "#app/components/field";
import { verifyPresentedCredential } from "#app/credentials/open-badge.server";
import { MAX_PRESENTED_BYTES, type VerificationReport } from "#app/domain/credential-report";
import { type FieldErrors, formToObject, parseWith, readForm } from "#app/forms/parse";
import { countLookup } from "#app/verification/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Check a signed credential — Attune" }];

const MAX_KIB = MAX_PRESENTED_BYTES / 1024;
const CheckSchema = z.object({ credential: z.string().max(MAX_PRESENTED_BYTES, `Paste at most ${MAX_KIB} KiB.`).default("") });

type ActionData = { errors?: FieldErrors; report?: VerificationReport };

/**
 * Anyone may paste or upload a credential (the JSON with an embedded proof, or the VC-JWT) and see whether it is
 * genuine: checked against our own published keys and status lists, offline. Nothing is stored. Public, and
 * rate-limited like the other lookups (VERIFY_RATE_LIMIT).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  // Each check runs signature verifications: counted against the client like every public lookup (before reading
  // the body, so a refused client costs nothing more).
  const rate = await countLookup(context);
  if (!rate.allowed) {
    return data<ActionData>(
      { errors: { form: `Too many checks from your network. Try again in ${rate.retryAfterSeconds} seconds.` } },
      { status: 429, headers: { "Retry-After": String(rate.retryAfterSeconds) } },
    );
  }
  const form = await readForm(request);
  const parsed = parseWith(CheckSchema, formToObject(form));
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors }, { status: 400 });
  let text = parsed.data.credential;
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > MAX_PRESENTED_BYTES) {
      return data<ActionData>(
        { errors: { file: `That file is larger than ${MAX_KIB} KiB: not one of our credentials.` } },
        { status: 400 },
      );
    }
    text = await file.text();
  }
  if (text.trim() === "") {
    return data<ActionData>({ errors: { credential: "Paste a credential, or choose a file." } }, { status: 400 });
  }
  const report = await verifyPresentedCredential(text, { appUrl: context.appUrl });
  return data<ActionData>({ report });
}

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

function when(iso: string | null): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateFmt.format(date)} UTC`;
}

const FORMS: Record<VerificationReport["form"], string> = {
  "data-integrity": "JSON with an embedded proof (Data Integrity, eddsa-rdfc-2022)",
  jwt: "VC-JWT (JSON Web Token, RS256)",
  unknown: "Not recognised",
};

function yesNo(value: boolean | null, yes: string, no: string): string {
  if (value === null) return "Not checked";
  return value ? yes : no;
}

function Result({ report }: { report: VerificationReport }) {
  const headline = report.valid
    ? "Genuine and current: signed by this Attune, in date, neither revoked nor suspended."
    : report.signatureValid && report.status.revoked
      ? "Revoked: this credential was signed by this Attune but has been revoked."
      : report.signatureValid && report.status.suspended
        ? "Suspended: this credential was signed by this Attune but is suspended."
        : report.signatureValid && report.expired
          ? "Expired: this credential was signed by this Attune but is no longer in date."
          : "Not valid: this credential could not be confirmed.";
  return (
    <section aria-labelledby="result-title" className="verify-result">
      <h2 id="result-title">Result</h2>
      <div className={`alert ${report.valid ? "alert--success" : "alert--error"}`} role="status" data-testid="verdict">
        {headline}
      </div>
      <dl className="facts">
        <dt>Form</dt>
        <dd>{FORMS[report.form]}</dd>
        <dt>Signature</dt>
        <dd data-testid="signature">
          {report.signatureValid ? "Valid" : "Not valid"}
          {report.keyId ? <span className="muted"> (key {report.keyId})</span> : null}
        </dd>
        <dt>Issuer</dt>
        <dd data-testid="issuer">
          {report.issuer ? (
            <>
              {report.issuer.name ?? "Unnamed"} <span className="muted">({report.issuer.id})</span>
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt>Credential</dt>
        <dd>{report.name ?? "—"}</dd>
        <dt>Holder</dt>
        <dd>{report.holder?.name ?? "—"}</dd>
        <dt>Issued</dt>
        <dd>{when(report.issuedAt)}</dd>
        <dt>Expires</dt>
        <dd data-testid="expires">
          {report.expiresAt ? when(report.expiresAt) : "No expiry date"}
          {report.expired ? <span className="badge badge--off">Expired</span> : null}
        </dd>
        <dt>Revoked</dt>
        <dd data-testid="revoked">{yesNo(report.status.revoked, "Yes", "No")}</dd>
        <dt>Suspended</dt>
        <dd data-testid="suspended">{yesNo(report.status.suspended, "Yes", "No")}</dd>
      </dl>
      {report.errors.length ? (
        <>
          <h3>What did not check out</h3>
          <ul data-testid="problems">
            {report.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export default function VerifyCredential() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  const describedBy = (name: string, hint: string) => [hint, errors?.[name] ? `field-${name}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="narrow">
      <h1>Check a signed credential</h1>
      <p>
        Attune certificates come with a signed credential in two forms: a JSON file with an embedded proof, and a JSON Web Token (JWT).
        Paste either one, or choose the file, to see whether it is genuine, who issued it, when it expires, and whether it has been revoked
        or suspended. It is checked here against Attune's own published keys and status lists; nothing you send is stored.
      </p>
      <ErrorSummary errors={errors} />
      <Form method="post" encType="multipart/form-data" noValidate aria-label="Check a credential">
        <div className="field">
          <label htmlFor="field-credential">Credential (JSON or JWT)</label>
          <p className="hint" id="field-credential-hint">
            Paste the whole text, up to {MAX_KIB} KiB.
          </p>
          <textarea
            id="field-credential"
            name="credential"
            rows={8}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors?.credential ? true : undefined}
            aria-describedby={describedBy("credential", "field-credential-hint")}
          />
          {errors?.credential ? (
            <p className="field-error" id="field-credential-error">
              {errors.credential}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="field-file">Or choose a credential file</label>
          <p className="hint" id="field-file-hint">
            A .json or .jwt file, up to {MAX_KIB} KiB. A chosen file is checked instead of pasted text.
          </p>
          <input
            id="field-file"
            name="file"
            type="file"
            accept=".json,.jwt,.txt,application/json,application/vc+ld+json,application/vc+jwt,text/plain"
            aria-invalid={errors?.file ? true : undefined}
            aria-describedby={describedBy("file", "field-file-hint")}
          />
          {errors?.file ? (
            <p className="field-error" id="field-file-error">
              {errors.file}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          Check the credential
        </button>
      </Form>
      {actionData?.report ? <Result report={actionData.report} /> : null}
    </div>
  );
}
