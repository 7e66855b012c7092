import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { certificateJson, formatDay, RegisterQuerySchema, registerQueryInput, STATUS_TEXT } from "#app/domain/verification";
import { parseWith } from "#app/forms/parse";
import { searchRegister } from "#app/models/register.server";
import { countLookup } from "#app/verification/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Public register — Attune" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Public: the register of certified practitioners who chose to be listed, searchable by name or registration
 * number, like a professional register lookup. Rate-limited per address, as every public lookup is.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const input = registerQueryInput(url);
  const q = (input.q ?? "").slice(0, 100);
  const rate = await countLookup(context);
  if (!rate.allowed) {
    return data(
      { kind: "limited" as const, q, retryAfterSeconds: rate.retryAfterSeconds },
      { status: 429, headers: { ...NO_STORE, "Retry-After": String(rate.retryAfterSeconds) } },
    );
  }
  const parsed = parseWith(RegisterQuerySchema, input);
  if (!parsed.ok) return data({ kind: "invalid" as const, q, errors: parsed.errors }, { status: 400, headers: NO_STORE });
  const page = await searchRegister(getDb(), parsed.data, context.appUrl);
  return data(
    { kind: "page" as const, q: parsed.data.q, searched: url.searchParams.has("q"), ...page, results: page.results.map(certificateJson) },
    { headers: NO_STORE },
  );
}

function pageLink(q: string, page: number) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/register?${query}` : "/register";
}

export default function Register() {
  const result = useLoaderData<typeof loader>();
  const error = result.kind === "invalid" ? (result.errors.q ?? result.errors.page) : undefined;
  return (
    <>
      <h1>Public register</h1>
      <p className="lead">
        Practitioners certified in Dynamic Interpersonal Therapy through Attune who chose to be listed here. A practitioner who is not
        listed may still hold a certificate: ask them for its code and <Link to="/verify">verify it</Link>.
      </p>
      <form method="get" action="/register" className="search-form filters" aria-label="Search the register" noValidate>
        <div className="field">
          <label htmlFor="register-q">Name or registration number</label>
          <input
            id="register-q"
            name="q"
            type="search"
            defaultValue={result.q}
            maxLength={100}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "register-q-error" : undefined}
          />
          {error ? (
            <p className="field-error" id="register-q-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </form>
      {result.kind === "limited" ? (
        <div className="alert alert--error" role="alert">
          Too many searches from your network in a short time. Please try again in{" "}
          {result.retryAfterSeconds <= 60 ? "about a minute" : `${Math.ceil(result.retryAfterSeconds / 60)} minutes`}.
        </div>
      ) : null}
      {result.kind === "page" ? (
        <>
          <p role="status">
            {result.total === 0
              ? result.q
                ? `Nobody on the register matches “${result.q}”.`
                : "Nobody is on the register yet."
              : `${result.total} ${result.total === 1 ? "practitioner" : "practitioners"}${result.q ? ` matching “${result.q}”` : " on the register"}`}
          </p>
          {result.results.length ? (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Practitioners on the register</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Home registration</th>
                    <th scope="col">Credential</th>
                    <th scope="col">Status</th>
                    <th scope="col">Issued</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Certificate</th>
                  </tr>
                </thead>
                <tbody>
                  {result.results.map((c) => (
                    <tr key={c.code}>
                      <td>{c.holder.name}</td>
                      <td>{[c.holder.registrationBody, c.holder.registrationNumber].filter(Boolean).join(" ") || "Not recorded"}</td>
                      <td>{c.credential}</td>
                      <td>
                        <span className={`badge${c.status === "valid" ? "" : " badge--warn"}`}>{STATUS_TEXT[c.status].label}</span>
                      </td>
                      <td>{formatDay(c.issuedAt)}</td>
                      <td>{c.expiresAt ? formatDay(c.expiresAt) : "Does not expire"}</td>
                      <td>
                        <Link to={`/verify/${c.code}`}>{c.code}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {result.pages > 1 ? (
            <nav className="pagination" aria-label="Pages">
              {result.page > 1 ? <Link to={pageLink(result.q, result.page - 1)}>Previous page</Link> : null}
              <span>
                Page {result.page} of {result.pages}
              </span>
              {result.page < result.pages ? <Link to={pageLink(result.q, result.page + 1)}>Next page</Link> : null}
            </nav>
          ) : null}
        </>
      ) : null}
      <p className="muted">
        The same search for software: <code>/api/v1/register?q=…</code> (<a href="/api/v1/openapi.json">OpenAPI</a>).
      </p>
    </>
  );
}
