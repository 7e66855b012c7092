import { describe, expect, it } from "vitest";
import { parseEnv, publicBaseUrl } from "#app/env.server";

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
    expect(parseEnv({ TRUST_PROXY: "1", COOKIE_SECURE: "false" })).toMatchObject({ TRUST_PROXY: 1, COOKIE_SECURE: false });
  });

  it("reads TRUST_PROXY as a hop count or a list of proxy addresses, and refuses true", () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: "0" }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8,::1" }).TRUST_PROXY).toEqual(["loopback", "10.0.0.0/8", "::1"]);
    expect(() => parseEnv({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY: must not be "true"/);
    expect(() => parseEnv({ TRUST_PROXY: "10.0.0.0/33" })).toThrow(/TRUST_PROXY: not a proxy address.*10\.0\.0\.0\/33/);
    expect(() => parseEnv({ TRUST_PROXY: "loopback,evil.example" })).toThrow(/evil\.example/);
    expect(() => parseEnv({ TRUST_PROXY: "99" })).toThrow(/TRUST_PROXY/);
  });

  it("refuses production with mail on and no APP_URL, naming APP_URL", () => {
    expect(() => parseEnv({ NODE_ENV: "production", SMTP_URL: "smtp://mail.example:25" })).toThrow(/APP_URL: must be set in production/);
    expect(parseEnv({ NODE_ENV: "production", SMTP_URL: "smtp://mail.example:25", APP_URL: "https://attune.example.org" }).APP_URL).toBe(
      "https://attune.example.org",
    );
    expect(parseEnv({ NODE_ENV: "production" }).APP_URL).toBeUndefined();
    expect(parseEnv({ SMTP_URL: "smtp://mail.example:25" }).APP_URL).toBeUndefined();
    expect(() => parseEnv({ APP_URL: "javascript:alert(1)" })).toThrow(/APP_URL/);
  });

  it("bases links on APP_URL, else on localhost and the configured (or bound) port", () => {
    expect(publicBaseUrl(parseEnv({ APP_URL: "https://attune.example.org" }), 4123)).toBe("https://attune.example.org");
    expect(publicBaseUrl(parseEnv({ PORT: "3100" }))).toBe("http://localhost:3100");
    expect(publicBaseUrl(parseEnv({ PORT: "0" }), 4123)).toBe("http://localhost:4123");
  });
});
