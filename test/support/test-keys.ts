/** The recording master key every test process and test server uses: fixed, and never a real one. */
export const TEST_MASTER_KEYS = `test-key:${Buffer.alloc(32, 7).toString("base64")}`;
