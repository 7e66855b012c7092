// The OpenAPI document is the API: it parses as OpenAPI 3.1, every /api/v1 route is in it and every path in it is
// a route, and each documented path answers a real certificate with the documented status, media type and shape
// (checked by turning the document's JSON Schemas into validators).
import { randomInt } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.VERIFY_RATE_LIMIT = "3";
});

import { z } from "zod";
import * as openapiRoute from "#app/routes/api.v1.openapi[.json]";
import { testContext } from "../support/app";
import { makeHolderCertificate } from "../support/certificates";

type Loader = (args: { request: Request; params: Record<string, string>; context: ReturnType<typeof testContext> }) => unknown;
type RouteModule = { loader?: Loader; action?: Loader };

const routes = import.meta.glob<RouteModule>("../../app/routes/api.v1.*.ts", { eager: true });

/** The URL template of a flat route file: api.v1.certificates.$code_.credential[.json].ts → /api/v1/certificates/{code}/credential.json */
function templateOf(file: string): string {
  const name = file.replace(/^.*\/routes\//, "").replace(/\.tsx?$/, "");
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const ch of name) {
    if (ch === "[") escaped = true;
    else if (ch === "]") escaped = false;
    else if (ch === "." && !escaped) {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  return `/${segments.map((s) => s.replace(/_$/, "").replace(/^\$(\w+)$/, "{$1}")).join("/")}`;
}

const matches = (template: string, path: string) =>
  new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`).test(path);

const freshIp = () => `100.64.${randomInt(0, 255)}.${randomInt(1, 254)}`;

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<
    string,
    { get: { responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }> } }
  >;
  components: { schemas: Record<string, unknown> };
};

async function documentAsServed(): Promise<Doc> {
  const request = new Request("http://localhost/api/v1/openapi.json");
  const response = (await openapiRoute.loader({ request, params: {}, context: testContext() })) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return JSON.parse(await response.text()) as Doc;
}

/** A validator for a schema of the document: its $refs point into components.schemas, as $defs. */
function validator(doc: Doc, schema: unknown) {
  const rewrite = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'));
  return z.fromJSONSchema({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $defs: rewrite(doc.components.schemas),
    ...(rewrite(schema) as object),
  } as Parameters<typeof z.fromJSONSchema>[0]);
}

function routeFor(path: string): RouteModule {
  const entry = Object.entries(routes).find(([file]) => matches(templateOf(file), path));
  if (!entry) throw new Error(`no route for ${path}`);
  return entry[1];
}

function paramsFor(concrete: string): Record<string, string> {
  const file = Object.keys(routes).find((f) => matches(templateOf(f), concrete)) as string;
  const names = [...templateOf(file).matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const values = concrete.split("/");
  const tmpl = templateOf(file).split("/");
  return Object.fromEntries(names.map((n) => [n, values[tmpl.indexOf(`{${n}}`)] as string]));
}

async function get(url: string, ip = freshIp()): Promise<Response> {
  const path = url.split("?")[0] as string;
  const route = routeFor(path);
  const request = new Request(`http://localhost${url}`);
  return (await route.loader?.({ request, params: paramsFor(path), context: testContext(ip) })) as Response;
}

async function expectDocumented(doc: Doc, documented: string, status: string, response: Response) {
  const spec = doc.paths[documented]?.get.responses[status];
  expect(spec, `${documented} documents ${status}`).toBeDefined();
  expect(String(response.status), `${documented} answered`).toBe(status);
  for (const header of Object.keys(spec?.headers ?? {}))
    expect(response.headers.get(header), `${documented} ${status} ${header}`).not.toBeNull();
  const [mediaType, media] = Object.entries(spec?.content ?? {})[0] ?? [];
  if (!mediaType || !media) return;
  expect(response.headers.get("Content-Type") ?? "").toContain(mediaType);
  const text = await response.text();
  const body = mediaType.endsWith("json") ? JSON.parse(text) : text;
  const result = validator(doc, media.schema).safeParse(body);
  expect(result.success, `${documented} ${status}: ${JSON.stringify(result.error?.issues ?? [])}`).toBe(true);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with our base URL, and names every /api/v1 route and nothing else", async () => {
    const doc = await documentAsServed();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers).toEqual([{ url: testContext().appUrl }]);
    const templates = Object.keys(routes).map(templateOf);
    expect(templates.length).toBeGreaterThanOrEqual(5);
    for (const template of templates) {
      expect(
        Object.keys(doc.paths).some((p) => matches(template, p)),
        `${template} is documented`,
      ).toBe(true);
    }
    for (const path of Object.keys(doc.paths)) {
      expect(
        templates.some((t) => matches(t, path.replace(/\{\w+\}/g, "X"))),
        `${path} is a route`,
      ).toBe(true);
    }
    // Every $ref resolves.
    for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      expect(doc.components.schemas[ref[1] as string], ref[1]).toBeDefined();
    }
  });

  it("describes what each path answers for a real certificate: 200, 400, 404, 405 and 429", async () => {
    const doc = await documentAsServed();
    const cert = await makeHolderCertificate({ onRegister: true, holderName: `Openapi Person${randomInt(1e6)}` });
    const concrete = (path: string) => path.replace("{code}", cert.code);
    for (const documented of Object.keys(doc.paths)) {
      const responses = doc.paths[documented]?.get.responses ?? {};
      const path = concrete(documented);
      const ok = documented === "/api/v1/register" ? `${path}?q=${encodeURIComponent(cert.holderName)}` : path;
      await expectDocumented(doc, documented, "200", await get(ok));
      if (responses["400"]) {
        const bad = documented.includes("{code}") ? documented.replace("{code}", "not-a-code") : `${path}?page=0`;
        await expectDocumented(doc, documented, "400", await get(bad));
      }
      if (responses["404"]) await expectDocumented(doc, documented, "404", await get(documented.replace("{code}", "ATN-2222-2222")));
      if (responses["429"]) {
        const ip = freshIp();
        for (let i = 0; i < 3; i++) await get(ok, ip);
        await expectDocumented(doc, documented, "429", await get(ok, ip));
      }
      if (responses["405"]) {
        const route = routeFor(path);
        const request = new Request(`http://localhost${path}`, { method: "POST" });
        const response = (await route.action?.({ request, params: paramsFor(path), context: testContext(freshIp()) })) as Response;
        await expectDocumented(doc, documented, "405", response);
      }
    }
  });

  it("rejects answers that do not have the documented shape (the check can fail)", async () => {
    const doc = await documentAsServed();
    const schema = doc.paths["/api/v1/certificates/{code}"]?.get.responses["200"]?.content?.["application/json"]?.schema;
    const check = validator(doc, schema);
    const cert = await makeHolderCertificate();
    const good = JSON.parse(await (await get(`/api/v1/certificates/${cert.code}`)).text());
    expect(check.safeParse(good).success).toBe(true);
    expect(check.safeParse({ ...good, status: "fine" }).success).toBe(false);
    expect(check.safeParse({ ...good, extra: 1 }).success).toBe(false);
    const { holder: _holder, ...withoutHolder } = good;
    expect(check.safeParse(withoutHolder).success).toBe(false);
  });
});
