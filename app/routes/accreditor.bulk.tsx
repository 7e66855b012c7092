import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import {
  BULK_BATCH_SIZE,
  BULK_FILE_FIELD,
  BULK_MAX_ROWS,
  BULK_OUTPUT_HEADER,
  BULK_REFUSALS,
  isBulkRefusalReason,
} from "#app/domain/bulk-verify";

export const meta: MetaFunction = () => [{ title: "Bulk verification — Attune" }];

/** The upload form. The file goes to /accreditor/bulk.csv, which answers with the results as a CSV download. */
export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "accreditor:bulk-verify");
  const reason = new URL(args.request.url).searchParams.get("error");
  return { error: isBulkRefusalReason(reason) ? BULK_REFUSALS[reason] : null };
}

export default function BulkVerify() {
  const { error } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <p>
        <Link to="/accreditor">← Accreditation</Link>
      </p>
      <h1>Verify certificates in bulk</h1>
      <p className="lead">
        Upload a CSV file of up to {BULK_MAX_ROWS.toLocaleString("en-GB")} certificates; you get the same file back with each one's status
        now, as a download.
      </p>
      {error ? (
        <div className="alert alert--error" role="alert">
          <a href="#bulk-file">{error}</a>
        </div>
      ) : null}
      {/* A plain form (not Remix's): the answer is a file download, with or without JavaScript. */}
      <form method="post" action="/accreditor/bulk.csv" encType="multipart/form-data">
        <div className="field">
          <label htmlFor="bulk-file">CSV file</label>
          <p className="hint" id="bulk-file-hint">
            The first row names the columns: <code>code</code>, or <code>name</code> and <code>registration_number</code>. A file that
            starts straight away with a code needs no header.
          </p>
          <input
            id="bulk-file"
            name={BULK_FILE_FIELD}
            type="file"
            accept=".csv,text/csv"
            required
            aria-describedby={error ? "bulk-file-hint bulk-file-error" : "bulk-file-hint"}
            aria-invalid={error ? true : undefined}
          />
          {error ? (
            <p className="field-error" id="bulk-file-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button">
          Verify and download the results
        </button>
      </form>
      <h2>The file you upload</h2>
      <pre>{"code\nATN-7K4Q-92XD\nATN-M3NV-8QZT\n\nor\n\nname,registration_number\nAda Lovelace,PYL012345"}</pre>
      <p>
        Codes are read in any case, with or without dashes. A row without a code is looked up by name and registration number, among
        practitioners on the public register and those registered with your body. Rows are checked {BULK_BATCH_SIZE} at a time.
      </p>
      <h2>The file you get back</h2>
      <p>
        One row per row you sent (blank lines are skipped), in the same order, with the columns <code>{BULK_OUTPUT_HEADER.join(", ")}</code>
        ; past {BULK_MAX_ROWS.toLocaleString("en-GB")} rows, one last row says the rest were not checked. The status is <code>valid</code>,{" "}
        <code>suspended</code>, <code>revoked</code>, <code>expired</code>, <code>unknown</code> (no such certificate, or for a name lookup
        none you may see: neither on the register nor registered with your body) or <code>invalid</code> (the row could not be read; the
        note says why).
      </p>
    </div>
  );
}
