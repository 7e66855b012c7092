// Recomputes the audit log's hash chains (one per lane, ADR 0014) and reports
// the first broken row; when intact, prints each lane's last hash.
// Usage: npm run audit:verify   (exit 0 intact, 1 broken)
import { createPrisma } from "#app/db.server";
import { env } from "#app/env.server";
import { verifyAuditChain } from "#app/models/audit.server";

async function main() {
  const db = createPrisma(env().DATABASE_URL);
  try {
    const report = await verifyAuditChain(db);
    if (report.broken) {
      const why = {
        "prev-hash-mismatch": "does not link to the row before it in its lane",
        "hash-mismatch": "its contents do not match its hash",
        "unknown-lane": "it is in a lane no writer uses",
      }[report.broken.reason];
      console.error(`audit: chain BROKEN at event #${report.broken.id}: ${why} (${report.checked} events before it are intact).`);
      process.exitCode = 1;
    } else {
      console.log(
        `audit: chain intact (${report.checked} events in ${report.heads.length} ${report.heads.length === 1 ? "lane" : "lanes"}).`,
      );
      // The heads, to keep outside the database: a later run that no longer reaches them shows truncation.
      for (const head of report.heads) console.log(`  lane ${head.lane}: ${head.hash}`);
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
