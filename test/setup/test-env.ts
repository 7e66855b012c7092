import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TEST_CREDENTIAL_KEYS, TEST_MASTER_KEYS } from "../support/test-keys";

// Settings every unit and integration test starts from (before any app module loads).
process.env.NODE_ENV = "test";
process.env.LOG_REQUESTS = "false";
process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT = "3";
process.env.LOGIN_MAX_FAILURES_PER_IP = "6";
process.env.LOGIN_WINDOW_MINUTES = "15";
delete process.env.SMTP_URL;
delete process.env.APP_URL;
// The real course unless the file imports test/support/fixture-course.ts (workers run many files in one process).
delete process.env.CONTENT_DIR;
// Recordings: a fixed test master key (never a real one), small chunks so tests cross chunk boundaries, and a
// recordings folder of this file's own.
process.env.RECORDING_MASTER_KEYS = TEST_MASTER_KEYS;
delete process.env.RECORDING_KEYS_FILE;
delete process.env.RECORDING_CURRENT_KEY_ID;
process.env.RECORDING_CHUNK_BYTES = "16384";
process.env.RECORDING_STORE = "fs";
process.env.RECORDINGS_DIR = mkdtempSync(path.join(tmpdir(), "attune-recordings-"));
// Credentials: fixed test signing keys (never real ones); tests that rotate keys use a directory of their own.
process.env.CREDENTIAL_KEYS = TEST_CREDENTIAL_KEYS;
delete process.env.CREDENTIAL_KEYS_DIR;
// Case-study documents: a folder of this file's own.
process.env.CASE_STUDIES_DIR = mkdtempSync(path.join(tmpdir(), "attune-case-studies-"));
