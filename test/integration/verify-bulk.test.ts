// Bulk verification for accreditors: a CSV of codes (or names and registration numbers) in, a CSV of statuses out,
// both streamed; row-level answers for malformed rows, refusals only for files that cannot be read at all.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { countQueries } from "#app/db-metrics.server";
import { BULK_MAX_ROWS, BULK_OUTPUT_HEADER } from "#app/domain/bulk-verify";
import { CsvReader } from "#app/domain/csv";
import { setAccreditingBody } from "#app/models/accreditor.server";
import { updateUserDetails } from "#app/models/user.server";
import * as bulk from "#app/routes/accreditor.bulk[.csv]";
import { cookieFor, makeUser, testContext } from "../support/app";
import { makeHolderCertificate as makeCertificate } from "../support/certificates";

const BOUNDARY = "----attune-test-boundary";

function multipartHead(filename = "codes.csv") {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nignored\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`;
}
const multipartTail = `\r\n--${BOUNDARY}--\r\n`;

function upload(cookie: string, body: BodyInit, headers: Record<string, string> = {}) {
  const request = new Request("http://localhost/accreditor/bulk.csv", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return bulk.action({ request, params: {}, context: testContext() }) as Promise<Response>;
}

const uploadCsv = (cookie: string, csv: string) => upload(cookie, multipartHead() + csv + multipartTail);

function parseCsv(text: string): string[][] {
  const reader = new CsvReader({ maxRecordChars: 100_000 });
  return [...reader.push(text), ...reader.end()].map((r) => r.cells);
}

async function accreditor(body: string | null = null) {
  const user = await makeUser(["ACCREDITOR"]);
  if (body) await setAccreditingBody(getDb(), { userId: user.id, body, by: user.id });
  return { ...user, cookie: await cookieFor(user.id) };
}

const col = (name: (typeof BULK_OUTPUT_HEADER)[number]) => BULK_OUTPUT_HEADER.indexOf(name);

describe("bulk verification by code", () => {
  it("answers every row in order: each status, unknown codes, and malformed rows with a note", async () => {
    const { cookie } = await accreditor();
    const valid = await makeCertificate({
      holderName: "Val Id",
      registrationBody: "HCPC",
      issuedAt: new Date("2026-06-01T10:00:00Z"),
      expiresAt: new Date("2029-06-01T10:00:00Z"),
    });
    const suspended = await makeCertificate({ status: "SUSPENDED" });
    const revoked = await makeCertificate({ status: "REVOKED" });
    const expired = await makeCertificate({ expiresAt: new Date("2026-01-01T00:00:00Z") });
    const csv = [
      "Code,comment",
      `${valid.code},first`,
      `${suspended.code.toLowerCase().replace(/-/g, "")},typed loosely`,
      `"${revoked.code}",quoted`,
      "",
      `${expired.code}`,
      "ATN-2222-2222,unknown",
      "not-a-code,bad",
      ",no code",
      `bro"ken,stray quote`,
    ].join("\r\n");
    const response = await uploadCsv(cookie, csv);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="verification-results.csv"');
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const rows = parseCsv(await response.text());
    expect(rows[0]).toEqual([...BULK_OUTPUT_HEADER]);
    const brief = rows.slice(1).map((r) => [r[col("line")], r[col("status")], r[col("code")]]);
    expect(brief).toEqual([
      ["2", "valid", valid.code],
      ["3", "suspended", suspended.code],
      ["4", "revoked", revoked.code],
      ["6", "expired", expired.code],
      ["7", "unknown", ""],
      ["8", "invalid", ""],
      ["9", "invalid", ""],
      ["10", "invalid", ""],
    ]);
    const first = rows[1] as string[];
    expect(first[col("holder_name")]).toBe("Val Id");
    expect(first[col("registration_body")]).toBe("HCPC");
    expect(first[col("credential")]).toBe("Fixture Practitioner");
    expect(first[col("issued_on")]).toBe("2026-06-01");
    expect(first[col("expires_on")]).toBe("2029-06-01");
    expect(first[col("verify_url")]).toBe(`${testContext().appUrl}/verify/${valid.code}`);
    expect(rows[3]?.[col("input_code")]).toBe(revoked.code);
    expect(rows[6]?.[col("note")]).toBe("Not a certificate code (they look like ATN-7K4Q-92XD).");
    expect(rows[7]?.[col("note")]).toBe("No code in this row.");
    expect(rows[8]?.[col("note")]).toBe("This row has a quote inside a field that does not start with one.");
  });

  it("reads a file of bare codes without a header", async () => {
    const { cookie } = await accreditor();
    const a = await makeCertificate();
    const b = await makeCertificate({ status: "REVOKED" });
    const rows = parseCsv(await (await uploadCsv(cookie, `${a.code}\n${b.code}\n`)).text());
    expect(rows.slice(1).map((r) => [r[col("line")], r[col("status")]])).toEqual([
      ["1", "valid"],
      ["2", "revoked"],
    ]);
  });

  it(`answers ${BULK_MAX_ROWS} rows in order with batched queries, and stops after that with a final row`, async () => {
    const { cookie } = await accreditor();
    const known = await makeCertificate();
    const lines = ["code"];
    for (let i = 0; i < BULK_MAX_ROWS + 5; i++) lines.push(i % 1000 === 0 ? known.code : `ATN-${"2345".charAt(i % 4)}222-2222`);
    const { result: text, queries } = await countQueries(async () => (await uploadCsv(cookie, lines.join("\n"))).text());
    const rows = parseCsv(text);
    expect(rows).toHaveLength(1 + BULK_MAX_ROWS + 1);
    expect(rows.slice(1, -1).every((r, i) => r[col("line")] === String(i + 2))).toBe(true);
    expect(rows.filter((r) => r[col("status")] === "valid")).toHaveLength(BULK_MAX_ROWS / 1000);
    expect(rows.at(-1)?.[col("note")]).toBe(`More than ${BULK_MAX_ROWS} rows: this row and the rest were not checked.`);
    // 20 batches of 500 codes: one query each, plus the session, the accreditor's body and the audit event.
    expect(queries).toBeLessThanOrEqual(20 + 10);
  });

  it("streams: the first batch's answers arrive while the rest of the file is still being sent", async () => {
    const { cookie } = await accreditor();
    const known = await makeCertificate();
    const encoder = new TextEncoder();
    let send!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => (send = c) });
    send.enqueue(encoder.encode(`${multipartHead()}code\n`));
    for (let i = 0; i < 600; i++) send.enqueue(encoder.encode(`${known.code}\n`));
    const response = await upload(cookie, body);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = "";
    while ((received.match(/\r\n/g) ?? []).length < 501) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the answer ended before the upload did");
      received += decoder.decode(value, { stream: true });
    }
    // The upload is still open here: 500 answers came back for the first 600 rows sent.
    send.enqueue(encoder.encode(`${known.code}\n${multipartTail}`));
    send.close();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    const rows = parseCsv(received);
    expect(rows).toHaveLength(1 + 601);
    expect(rows.slice(1).every((r) => r[col("status")] === "valid")).toBe(true);
  });
});

describe("bulk verification by name and registration number", () => {
  it("finds people on the register, and those registered with the accreditor's own body, but nobody else", async () => {
    const body = `B${randomBytes(4).toString("hex").toUpperCase()}`;
    const { cookie } = await accreditor(body);
    const tag = randomBytes(3).toString("hex").toUpperCase();
    const listed = await makeCertificate({ holderName: "Lee Listed", registrationNumber: `L-${tag}`, onRegister: true });
    const ownBody = await makeCertificate({ holderName: "Oona Own", registrationNumber: `O${tag}`, registrationBody: body.toLowerCase() });
    await makeCertificate({ holderName: "Hana Hidden", registrationNumber: `H${tag}`, registrationBody: "UKCP" });
    const gone = await makeCertificate({ holderName: "Gil Gone", registrationNumber: `G${tag}`, onRegister: true });
    await getDb().user.update({ where: { id: gone.holderId }, data: { anonymisedAt: new Date() } });
    // Renewed: the valid certificate is reported, not the expired one.
    await makeCertificate({
      holderName: "Rae Renewed",
      registrationNumber: `R${tag}`,
      onRegister: true,
      expiresAt: new Date("2025-01-01"),
    });
    const renewed = await makeCertificate({ holderName: "Rae Renewed", registrationNumber: `R${tag}`, onRegister: true });
    const csv = [
      "Name,Registration Number",
      `lee  LISTED,l ${tag.toLowerCase()}`,
      `Oona Own,O-${tag}`,
      `Hana Hidden,H${tag}`,
      `Gil Gone,G${tag}`,
      `Lee Listed,WRONG${tag}`,
      `Rae Renewed,R${tag}`,
      `Lee Listed,`,
    ].join("\n");
    const rows = parseCsv(await (await uploadCsv(cookie, csv)).text());
    expect(rows.slice(1).map((r) => [r[col("status")], r[col("code")]])).toEqual([
      ["valid", listed.code],
      ["valid", ownBody.code],
      ["unknown", ""],
      ["unknown", ""],
      ["unknown", ""],
      ["valid", renewed.code],
      ["invalid", ""],
    ]);
    expect(rows[1]?.[col("note")]).toBe("Matched by name and registration number.");
    expect(rows[7]?.[col("note")]).toBe("No code, and not both a name and a registration number.");
  });

  it("treats a revoked certificate as off the register, as the register does; the holder's own body still sees it", async () => {
    const body = `B${randomBytes(4).toString("hex").toUpperCase()}`;
    const tag = randomBytes(3).toString("hex").toUpperCase();
    await makeCertificate({ holderName: "Ray Revoked", registrationNumber: `V${tag}`, onRegister: true, status: "REVOKED" });
    const own = await makeCertificate({
      holderName: "Ros Revoked",
      registrationNumber: `W${tag}`,
      onRegister: true,
      status: "REVOKED",
      registrationBody: body,
    });
    const csv = ["name,registration number", `Ray Revoked,V${tag}`, `Ros Revoked,W${tag}`].join("\n");
    const other = await accreditor(`X${body}`);
    expect(
      parseCsv(await (await uploadCsv(other.cookie, csv)).text())
        .slice(1)
        .map((r) => r[col("status")]),
    ).toEqual(["unknown", "unknown"]);
    const theirs = await accreditor(body);
    const rows = parseCsv(await (await uploadCsv(theirs.cookie, csv)).text()).slice(1);
    expect(rows.map((r) => [r[col("status")], r[col("code")]])).toEqual([
      ["unknown", ""],
      ["revoked", own.code],
    ]);
  });

  it("finds a registration number typed with tabs, no-break spaces or en dashes: stored numbers are normalised", async () => {
    const db = getDb();
    const tag = randomBytes(3).toString("hex").toUpperCase();
    const person = await makeUser(["TRAINEE"]);
    await updateUserDetails(db, {
      userId: person.id,
      by: person.id,
      name: "Nia Spaces",
      registrationBody: "HCPC",
      registrationNumber: ` PYL\u00a0\t${tag}\u2013X `,
    });
    const stored = (await db.user.findUniqueOrThrow({ where: { id: person.id }, select: { registrationNumber: true } })).registrationNumber;
    expect(stored).toBe(`PYL ${tag}-X`);
    const cert = await makeCertificate({ holderName: "Nia Spaces", registrationNumber: stored ?? "", onRegister: true });
    const { cookie } = await accreditor();
    const rows = parseCsv(await (await uploadCsv(cookie, `name,registration number\nNia Spaces,pyl${tag.toLowerCase()}x\n`)).text());
    expect(rows.slice(1).map((r) => [r[col("status")], r[col("code")]])).toEqual([["valid", cert.code]]);
  });
});

describe("uploads that cannot be read at all", () => {
  it("are refused before any answer: JSON for clients, back to the form for browsers", async () => {
    const { cookie } = await accreditor();
    const cases: [string, number, string][] = [
      ["", 400, "The file is empty."],
      ["first,email\nAda,ada@example.org", 400, "The first row must name the columns"],
      ["name,notes\nAda,x", 400, "no registration_number column"],
    ];
    for (const [csv, status, message] of cases) {
      const out = await uploadCsv(cookie, csv);
      expect(out.status, csv).toBe(status);
      expect(((await out.json()) as { error: string }).error).toContain(message);
    }
    const noFile = await upload(cookie, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`);
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toEqual({ error: "Choose a CSV file to upload." });
    const broken = await upload(cookie, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\ncode\nATN`);
    // The header was read, so the answer had begun: a body cut off after that ends the download early.
    expect(broken.status).toBe(200);
    await expect(broken.text()).rejects.toThrow();
    const notAForm = await upload(cookie, "code\nATN-2222-2222", { "Content-Type": "text/csv" });
    expect(notAForm.status).toBe(415);
    const asBrowser = await upload(cookie, `${multipartHead()}${multipartTail}`, { Accept: "text/html,application/xhtml+xml" }).catch(
      (thrown: unknown) => thrown as Response,
    );
    expect(asBrowser.status).toBe(303);
    expect(asBrowser.headers.get("Location")).toBe("/accreditor/bulk?error=empty");
  });
});
