import { isIP } from "node:net";
import { z } from "zod";
import { DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from "#app/storage/format.server";

/**
 * Every setting Attune reads from the environment, parsed once at start-up.
 * A bad value stops the process with the variable's name (see server/index.ts).
 * Documented in README.md ("Configuration").
 */
const booleanFlag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const positiveInt = z.coerce.number().int().positive();

/** What Express may trust in X-Forwarded-*: nothing, a number of proxy hops, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isAddressOrRange(token: string): boolean {
  if (NAMED_RANGES.has(token)) return true;
  const [address = "", prefix, ...rest] = token.split("/");
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: `false`/`0` (default) trusts nothing; `N` trusts the N proxies
 * nearest the app (the client address is the N-th from the right of
 * X-Forwarded-For); a comma-separated list of addresses, CIDR ranges or
 * loopback/linklocal/uniquelocal trusts exactly those proxies. `true` is
 * refused: it would take the left-most address, which the client writes.
 * See docs/decisions/0011-trust-proxy-and-links.md.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (value === "false" || value === "0") return false;
    if (value === "true") {
      ctx.addIssue({
        code: "custom",
        message:
          'must not be "true" (that trusts whatever the client writes in X-Forwarded-For); give the number of proxies in front of the app (e.g. 1) or their addresses (e.g. loopback or 10.0.0.0/8)',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops > 10) ctx.addIssue({ code: "custom", message: "must be at most 10 proxy hops" });
      return hops;
    }
    const tokens = value.split(",").map((t) => t.trim());
    const bad = tokens.filter((t) => !isAddressOrRange(t));
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `not a proxy address, CIDR range, loopback, linklocal or uniquelocal: ${bad.join(", ")}` });
      return z.NEVER;
    }
    return tokens;
  });

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql:// (PostgreSQL)")
      .default("file:./data/attune.db"),
    /**
     * Public base URL: the only source of absolute links (invitations, resets) — never the request's Host.
     * Required in production when SMTP_URL is set; otherwise http://localhost:PORT.
     */
    APP_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
    /** Which reverse proxies' X-Forwarded-* headers to believe (see trustProxy above). */
    TRUST_PROXY: trustProxy.default(false),
    /** Secure flag on the session cookie; defaults to true in production. */
    COOKIE_SECURE: booleanFlag.optional(),
    SESSION_TTL_HOURS: positiveInt.default(12),
    INVITATION_TTL_HOURS: positiveInt.default(72),
    PASSWORD_RESET_TTL_HOURS: positiveInt.default(2),
    LOGIN_WINDOW_MINUTES: positiveInt.default(15),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
    LOGIN_MAX_FAILURES_PER_IP: positiveInt.default(30),
    /** e.g. smtp://user:pass@mail.example.org:587 — when unset, links are only shown to the admin. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
      .optional(),
    MAIL_FROM: z.string().min(3).default("Attune <no-reply@attune.test>"),
    SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
    LOG_REQUESTS: booleanFlag.default(true),
    /**
     * Where course content is read from when it is compiled on first use (development and tests; production reads
     * build/content/curriculum.json). Integration tests point it at the fixture course in test/fixtures/content.
     */
    CONTENT_DIR: z.string().min(1).default("content"),
    /** Report the number of database queries per request in a Server-Timing header (benchmarks). */
    SERVER_TIMING: booleanFlag.default(false),

    // Session recordings (docs/decisions/0018-recording-encryption.md, docs/recordings.md).
    /** Where encrypted recordings live: "fs" (RECORDINGS_DIR) or "db" (chunk rows; for several instances). */
    RECORDING_STORE: z.enum(["fs", "db"]).default("fs"),
    RECORDINGS_DIR: z.string().min(1).default("data/recordings"),
    /** `kid:base64key[,kid:base64key…]`, 32-byte keys; required in production (a demo key is made elsewhere). */
    RECORDING_MASTER_KEYS: z.string().min(1).optional(),
    /** A file (mode 0600) holding the master keys in the same form, e.g. a mounted secret; `npm start` uses the demo key. */
    RECORDING_KEYS_FILE: z.string().min(1).optional(),
    /** The id in RECORDING_MASTER_KEYS that wraps new recordings (required when several are listed). */
    RECORDING_CURRENT_KEY_ID: z.string().min(1).optional(),
    /** The largest recording accepted, in bytes (default 2 GiB), enforced while the bytes arrive. */
    RECORDING_MAX_BYTES: positiveInt.default(2 * 1024 * 1024 * 1024),
    /** Plaintext bytes per encrypted chunk of new recordings (default 256 KiB, ADR 0036); each keeps its own. */
    RECORDING_CHUNK_BYTES: z.coerce.number().int().min(MIN_CHUNK_SIZE).max(MAX_CHUNK_SIZE).default(DEFAULT_CHUNK_SIZE),
    /** Retention: days a recording is kept after its rating is final; most days an unrated one is kept. */
    RECORDING_KEEP_DAYS_AFTER_FINAL: positiveInt.default(30),
    RECORDING_MAX_UNRATED_DAYS: positiveInt.default(180),
    /** Hours an unfinished upload is kept before it is removed. */
    UPLOAD_EXPIRY_HOURS: positiveInt.default(24),
    /** Minutes between purge runs inside the server (0 = never; run `npm run purge` from a timer instead). */
    PURGE_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
    /** Hours between runs of the certificates' daily job inside the server (0 = never; run `npm run certificates:daily` instead). */
    CERTIFICATE_JOB_INTERVAL_HOURS: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 7)
      .default(24),

    // Signed credentials (docs/credentials.md, docs/decisions/0030-credential-keys-rotation-and-status-lists.md).
    /** A directory of credential signing key files (mode 0600; `npm run keys:init-credentials`), or one JSON file holding them all. */
    CREDENTIAL_KEYS_DIR: z.string().min(1).optional(),
    /** The same keys inline, as a JSON array (e.g. from a secret store); takes precedence over CREDENTIAL_KEYS_DIR. */
    CREDENTIAL_KEYS: z.string().min(1).optional(),

    // Written case studies (docs/pathways.md): encrypted like recordings, under the same master keys.
    /** Where encrypted case-study documents live (ciphertext only). */
    CASE_STUDIES_DIR: z.string().min(1).default("data/case-studies"),
    /** The largest case-study document accepted, in bytes (default 20 MiB), enforced while the bytes arrive. */
    CASE_STUDY_MAX_BYTES: positiveInt.default(20 * 1024 * 1024),

    // Public verification (docs/verification.md, ADR 0034).
    /** Lookups per client address and window on the verification page, the API and the register (counted in the database). */
    VERIFY_RATE_LIMIT: positiveInt.default(60),
    VERIFY_RATE_WINDOW_SECONDS: positiveInt.default(60),
  })
  .superRefine((settings, ctx) => {
    if (settings.NODE_ENV === "production" && settings.SMTP_URL && !settings.APP_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["APP_URL"],
        message: "must be set in production when SMTP_URL is set: mailed links are built from it, never from the request",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

/**
 * The base of every absolute link: APP_URL, else http://localhost and the
 * configured port (or the port actually bound, when PORT=0). Never the
 * request's Host or X-Forwarded-Host, which a client chooses.
 */
export function publicBaseUrl(settings: Pick<Env, "APP_URL" | "PORT">, boundPort?: number): string {
  if (settings.APP_URL) return settings.APP_URL;
  return `http://localhost:${boundPort ?? settings.PORT}`;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
