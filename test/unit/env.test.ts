import { describe, expect, it } from "vitest";
import { parseEnv } from "#app/env.server";

describe("environment", () => {
  it("has safe defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", DATABASE_URL: "file:./data/attune.db", NODE_ENV: "development" });
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must start with file:/);
    expect(() => parseEnv({ SMTP_URL: "http://mail" })).toThrow(/SMTP_URL/);
    expect(() => parseEnv({ TRUST_PROXY: "maybe" })).toThrow(/TRUST_PROXY/);
  });

  it("treats empty values as unset and reads PostgreSQL URLs", () => {
    expect(parseEnv({ PORT: "", DATABASE_URL: "postgresql://u@h/db" })).toMatchObject({ PORT: 3000, DATABASE_URL: "postgresql://u@h/db" });
    expect(parseEnv({ TRUST_PROXY: "1", COOKIE_SECURE: "false" })).toMatchObject({ TRUST_PROXY: true, COOKIE_SECURE: false });
  });
});
