import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { VerifyForm } from "#app/components/verify-form";
import { normaliseCode } from "#app/domain/certificate-code";
import { certificateJson, formatDay, STATUS_TEXT, type VerifyStatus } from "#app/domain/verification";
import { lookUpCode } from "#app/verification/lookup.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "code" in data && data.code ? `Certificate ${data.code} — Attune` : "Verify a certificate — Attune" },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Never cached: a suspension or revocation must show on the next look, on every instance (ADR 0034). */
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Public: what a code stands for — valid, suspended, revoked, expired or unknown — with the holder's name and home
 * registration, the credential, its issuer and dates. Nothing clinical, no reasons. Rate-limited per address.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const typed = params.code ?? "";
  const canonical = normaliseCode(typed);
  if (canonical && canonical !== typed) throw redirect(`/verify/${canonical}`);
  const found = await lookUpCode(context, typed);
  switch (found.kind) {
    case "limited":
      return data(
        { kind: "limited" as const, retryAfterSeconds: found.retryAfterSeconds },
        { status: 429, headers: { ...NO_STORE, "Retry-After": String(found.retryAfterSeconds) } },
      );
    case "malformed":
      return data({ kind: "malformed" as const, typed: typed.slice(0, 64) }, { status: 400, headers: NO_STORE });
    case "unknown":
      return data({ kind: "unknown" as const, code: found.code }, { status: 404, headers: NO_STORE });
    case "found":
      return data(
        {
          kind: "found" as const,
          code: found.certificate.code,
          certificate: certificateJson(found.certificate),
          checkedAt: new Date().toISOString(),
        },
        { headers: NO_STORE },
      );
  }
}

function Verdict({ status, code }: { status: VerifyStatus; code: string }) {
  const text = STATUS_TEXT[status];
  const tone = text.tone === "success" ? "alert--success" : text.tone === "error" ? "alert--error" : "alert--warn";
  return (
    <div className={`alert verdict ${tone}`} role="status" data-status={status}>
      <p className="verdict__status">
        <span className="visually-hidden">Certificate {code}: </span>
        {text.label}
      </p>
      <p>{text.meaning}</p>
    </div>
  );
}

export default function VerifyCode() {
  const result = useLoaderData<typeof loader>();
  if (result.kind === "limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return (
      <div className="narrow">
        <h1>Too many checks</h1>
        <div className="alert alert--error" role="alert">
          Too many certificates have been checked from your network in a short time. Please try again in{" "}
          {minutes <= 1 ? "about a minute" : `${minutes} minutes`}.
        </div>
        <p>Accrediting bodies that check many certificates can sign in and use bulk verification instead.</p>
      </div>
    );
  }
  if (result.kind === "malformed") {
    return (
      <div className="narrow">
        <h1>Verify a certificate</h1>
        <div className="alert alert--error" role="alert">
          “{result.typed}” is not a certificate code. Codes look like ATN-7K4Q-92XD.
        </div>
        <VerifyForm defaultValue={result.typed} />
      </div>
    );
  }
  if (result.kind === "unknown") {
    return (
      <div className="narrow">
        <h1>Certificate {result.code}</h1>
        <Verdict status="unknown" code={result.code} />
        <VerifyForm label="Check another code" />
      </div>
    );
  }
  const c = result.certificate;
  return (
    <div className="narrow">
      <h1>Certificate {c.code}</h1>
      <Verdict status={c.status} code={c.code} />
      <dl className="details">
        <dt>Holder</dt>
        <dd>{c.holder.name}</dd>
        <dt>Home registration</dt>
        <dd>
          {c.holder.registrationBody || c.holder.registrationNumber
            ? [c.holder.registrationBody, c.holder.registrationNumber].filter(Boolean).join(" ")
            : "Not recorded"}
        </dd>
        <dt>Credential</dt>
        <dd>{c.credential}</dd>
        <dt>Issued by</dt>
        <dd>{c.issuer}</dd>
        <dt>Issued</dt>
        <dd>
          <time dateTime={c.issuedAt}>{formatDay(c.issuedAt)}</time>
        </dd>
        <dt>Expires</dt>
        <dd>{c.expiresAt ? <time dateTime={c.expiresAt}>{formatDay(c.expiresAt)}</time> : "Does not expire"}</dd>
      </dl>
      <p className="muted">
        Checked <time dateTime={result.checkedAt}>{new Date(result.checkedAt).toISOString().slice(0, 16).replace("T", " ")} UTC</time>. This
        page always shows the certificate's current status.
      </p>
      <h2>For software and offline checks</h2>
      <ul>
        <li>
          <a href={`/api/v1/certificates/${c.code}`}>This status as JSON</a>
        </li>
        <li>
          The signed credential (Open Badges 3.0):{" "}
          <a href={`/api/v1/certificates/${c.code}/credential.json`}>with an embedded proof (JSON-LD)</a>, or{" "}
          <a href={`/api/v1/certificates/${c.code}/credential`}>as a JWT</a>
        </li>
      </ul>
      <VerifyForm label="Check another code" />
      <p>
        <Link to="/register">Search the public register</Link>
      </p>
    </div>
  );
}
