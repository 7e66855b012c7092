import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission } from "#app/auth/session.server";
import { frameworkFromSearch } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { csvLine } from "#app/domain/csv";
import { groupRatings, pairedScores } from "#app/domain/reliability-report";
import { peopleNames, reliabilityRows } from "#app/models/reliability.server";

const HEADER = [
  "framework",
  "version",
  "recording",
  "item",
  "primary_rater",
  "primary_score",
  "primary_submitted",
  "second_rater",
  "second_score",
  "second_submitted",
  "final_score",
  "final_by",
];

/**
 * The paired scores behind the reliability page as CSV: the rows are read in one statement (as the page reads them),
 * the lines written to the response stream a few hundred at a time as it is pulled: one line
 * per double-rated recording and item (recording ids, never trainee names).
 */
export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "reliability:view");
  const framework = frameworkFromSearch(new URL(args.request.url).searchParams);
  if (!framework) throw notFound("There is no such framework version.");
  const db = getDb();
  const recordings = groupRatings(await reliabilityRows(db, framework));
  const raterIds = new Set<string>();
  for (const rec of recordings.values()) for (const p of rec.provisional) if (p.raterId) raterIds.add(p.raterId);
  const names = await peopleNames(db, [...raterIds]);
  const name = (id: string | null) => (id ? (names.get(id) ?? id) : "");
  const lines = pairedScores(framework, recordings);
  const encoder = new TextEncoder();
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(HEADER)));
        return;
      }
      // A few hundred lines per chunk: small chunks, few calls.
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        const l = next.value;
        chunk += csvLine([
          framework.id,
          framework.version,
          l.recordingId,
          l.itemId,
          name(l.primaryRaterId),
          l.primaryScore,
          l.primarySubmittedAt.toISOString(),
          name(l.secondRaterId),
          l.secondScore,
          l.secondSubmittedAt.toISOString(),
          l.finalScore,
          l.finalKind === "MODERATED" ? "moderator" : l.finalKind === "DERIVED" ? "rule" : "",
        ]);
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="reliability-${framework.id}-v${framework.version}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
