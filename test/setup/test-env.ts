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
