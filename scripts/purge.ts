// Destroys the recordings that are due (retention ended, withdrawn, rejected, abandoned uploads), except those on
// legal hold: key first, then bytes (ADR 0021, docs/recordings.md). Safe to run while servers run, on any instance,
// as often as wanted. Prints what it did; exit 1 when anything failed (what failed is retried on the next run).
// Usage: npm run purge
import { disconnectDb, getDb } from "#app/db.server";
import { purgeDue } from "#app/recordings/purge.server";
import { recordingStore } from "#app/storage/config.server";

async function main() {
  try {
    // The store RECORDING_STORE / RECORDINGS_DIR name, as the server uses.
    const c = await purgeDue({ db: getDb(), store: recordingStore(), now: new Date() });
    console.log(
      `purge: ${c.purged} purged (${c.blobsDeleted} deleted), ${c.leftoverBlobsDeleted} left-over and ` +
        `${c.abandonedBlobsDeleted} abandoned uploads deleted, ${c.held} held, ${c.failed} failed.`,
    );
    if (c.failed > 0) process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

main().catch((error) => {
  console.error(`purge: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
