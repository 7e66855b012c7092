import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCohortViewer } from "#app/auth/cohort-access.server";
import { progressGrid } from "#app/content.server/course.server";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { csvLine } from "#app/domain/csv";
import { cohortProgress } from "#app/models/progress.server";

/** The cohort's progress grid as CSV, written row by row to the response stream. */
export async function loader(args: LoaderFunctionArgs) {
  const { cohort } = await requireCohortViewer(args, args.params.cohortId);
  const [curriculum, rows] = await Promise.all([getCurriculum(), cohortProgress(getDb(), cohort.id)]);
  const grid = progressGrid(curriculum, rows);
  const encoder = new TextEncoder();
  let i = -1;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === -1) {
        controller.enqueue(
          encoder.encode(csvLine(["trainee", "email", ...grid.modules.map((m) => `${m.order}. ${m.title}`), "completed"])),
        );
      } else if (i < grid.rows.length) {
        const r = grid.rows[i];
        if (r) {
          const cells = r.cells.map((c) =>
            c.status === "completed"
              ? `completed ${c.completedAt?.slice(0, 10)} (v${c.version})${c.updated ? " - updated since" : ""}`
              : c.status,
          );
          controller.enqueue(encoder.encode(csvLine([r.name, r.email, ...cells, r.completed])));
        }
      } else {
        controller.close();
      }
      i++;
    },
  });
  const filename = `progress-${
    cohort.name
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase() || "cohort"
  }.csv`;
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
