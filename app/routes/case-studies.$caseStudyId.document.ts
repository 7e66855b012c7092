import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { openCaseStudyDocument } from "#app/case-studies/documents.server";
import { getDb } from "#app/db.server";
import { DOCUMENT_TYPES } from "#app/domain/case-study-rules";
import { authenticatedBody } from "#app/http/stream.server";
import { getCaseStudy, recordCaseStudyDownload, relationsToCaseStudy } from "#app/models/case-study.server";
import { RecordingError } from "#app/storage/errors.server";

/**
 * A case study's document, decrypted as it streams, for its trainee and its markers (trainers of the trainee's
 * cohort) only ("case-study:download"; administrators see the record but not the document). Every download is
 * audited. Never cached; sent as an attachment under a neutral name (the uploaded name is never kept).
 */
function problem(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });
}

function logFailure(caseStudyId: string, error: unknown, when: "before-first-byte" | "mid-stream") {
  const code = error instanceof RecordingError ? error.code : "unknown";
  console.error(JSON.stringify({ level: "error", msg: "case study download failed", caseStudyId, code, when, error: String(error) }));
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "case-study:download");
  const db = getDb();
  const study = args.params.caseStudyId ? await getCaseStudy(db, args.params.caseStudyId) : null;
  if (!study) throw notFound();
  requireOn(user, "case-study:download", await relationsToCaseStudy(db, user, study));

  let body: AsyncGenerator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    const opened = await openCaseStudyDocument(study);
    if (opened.size !== study.sizeBytes)
      throw new RecordingError("integrity", `Stored size ${opened.size} differs from the recorded ${study.sizeBytes}.`);
    body = opened.body;
    first = await body.next();
  } catch (error) {
    logFailure(study.id, error, "before-first-byte");
    return problem(500, "This document could not be read intact. The team has been told; please try again later.");
  }
  await recordCaseStudyDownload(db, { caseStudyId: study.id, userId: user.id });
  const ext = DOCUMENT_TYPES.find((t) => t.mime === study.mimeType)?.ext ?? "bin";
  return new Response(authenticatedBody(body, first, { ...args, onError: (error) => logFailure(study.id, error, "mid-stream") }), {
    status: 200,
    headers: {
      "Content-Type": study.mimeType,
      "Content-Length": String(study.sizeBytes),
      "Content-Disposition": `attachment; filename="case-study-${study.id}.${ext}"`,
      "Cache-Control": "no-store",
    },
  });
}
