// `npm start` (prestart): makes the demo's recording master key, data/keys/recording-master-keys (mode 0600), if it
// does not exist yet. Never in production: real deployments set RECORDING_MASTER_KEYS or RECORDING_KEYS_FILE
// (docs/decisions/0018-recording-encryption.md).
import { env } from "#app/env.server";
import { ensureDemoKeyFile } from "#app/storage/keys.server";

if (env().NODE_ENV === "production") {
  console.log("keys:demo: NODE_ENV=production, no demo key made. Set RECORDING_MASTER_KEYS or RECORDING_KEYS_FILE.");
} else {
  console.log(`keys:demo: recording master key at ${ensureDemoKeyFile()} (demo only; never for real patient data)`);
}
