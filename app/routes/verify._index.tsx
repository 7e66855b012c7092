import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { VerifyForm } from "#app/components/verify-form";
import { normaliseCode } from "#app/domain/certificate-code";

export const meta: MetaFunction = () => [{ title: "Verify a certificate — Attune" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** Public: enter a code. A submitted code goes to its own page (/verify/ATN-…), in its canonical form. */
export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("code");
  if (typed === null) return { typed: "", error: null };
  const code = normaliseCode(typed);
  if (code) throw redirect(`/verify/${code}`);
  const error = typed.trim() ? "That is not a certificate code. Codes look like ATN-7K4Q-92XD." : "Enter a certificate code.";
  return data({ typed: typed.slice(0, 64), error }, { status: 400 });
}

export default function Verify() {
  const { typed, error } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Verify a certificate</h1>
      <p className="lead">
        Check an Attune practitioner certificate by its code: you will see whether it is valid, suspended, revoked or expired, who holds it
        and who issued it.
      </p>
      {error ? (
        <div className="alert alert--error" role="alert">
          <a href="#verify-code">{error}</a>
        </div>
      ) : null}
      <VerifyForm defaultValue={typed} error={error ?? undefined} />
      <h2>Other ways to check</h2>
      <ul>
        <li>
          <Link to="/register">The public register</Link>: certified practitioners who chose to be listed, by name or registration number.
        </li>
        <li>
          Software can ask <code>/api/v1/certificates/&lt;code&gt;</code> (described at{" "}
          <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
          ), or check the signed credential offline.
        </li>
      </ul>
    </div>
  );
}
