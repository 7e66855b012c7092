// Written case studies through their routes: a streamed multipart upload into the encrypted store (checked from
// its content, size-limited while it arrives), marking with feedback by a trainer of the trainee's cohort,
// resubmission after a referral with the history kept, and downloads for the trainee and markers only.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "#app/db.server";
import { createCase } from "#app/models/case.server";
import * as index from "#app/routes/case-studies._index";
import * as page from "#app/routes/case-studies.$caseStudyId";
import * as download from "#app/routes/case-studies.$caseStudyId.document";
import { callAction, callForResponse, callLoader, callMultipart, cookieFor, makeUser } from "../support/app";
import { BINARY, DOCUMENT_MARKER, docx, odt, PNG, pdf, text, zip } from "../support/documents";
import "../support/fixture-course";
import { flipStoredByte } from "../support/stored-chunks";
import { makeCohort } from "../support/world";

// A small limit, so the test can cross it (env() reads it on first use, after this).
vi.hoisted(() => {
  process.env.CASE_STUDY_MAX_BYTES = String(256 * 1024);
});

const storeDir = () => process.env.CASE_STUDIES_DIR as string;
const blobs = () => readdirSync(storeDir()).sort();

async function scene() {
  const trainee = await makeUser(["TRAINEE"]);
  const trainer = await makeUser(["TRAINER"]);
  const cohortId = await makeCohort({ trainers: [trainer.id], trainees: [trainee.id] });
  return { trainee, trainer, cohortId, cookie: await cookieFor(trainee.id), trainerCookie: await cookieFor(trainer.id) };
}

function form(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  if (file) body.append("document", new File([Uint8Array.from(file.bytes)], file.name, { type: file.type }));
  return body;
}

const submit = (cookie: string, body: FormData) => callMultipart(index.action, { path: "/case-studies", cookie, body });

async function submitted(cookie: string, bytes: Buffer, name = "study.pdf", title = "My case study") {
  const out = await submit(cookie, form({ title }, { name, type: "application/octet-stream", bytes }));
  const location = out.headers.get("Location") ?? "";
  if (out.status !== 302 || !location.startsWith("/case-studies/"))
    throw new Error(`not submitted: ${out.status} ${JSON.stringify(out.data)}`);
  return location.split("/")[2]?.split("?")[0] as string;
}

const studyState = (id: string) => getDb().caseStudy.findUniqueOrThrow({ where: { id }, include: { mark: true } });

describe("submitting a case study", () => {
  it("streams a PDF into the encrypted store: type from its content, SHA-256 and size recorded, no plaintext on disk, audited", async () => {
    const s = await scene();
    const bytes = pdf(40_000);
    const before = blobs();
    const id = await submitted(s.cookie, bytes, "Jane Client - case study.pdf");
    const row = await studyState(id);
    expect(row).toMatchObject({
      traineeId: s.trainee.id,
      title: "My case study",
      mimeType: "application/pdf",
      sizeBytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      status: "SUBMITTED",
      previousId: null,
      store: "fs",
    });
    // The uploaded file name (which could name a client) is kept nowhere.
    expect(JSON.stringify(row)).not.toContain("Jane Client");
    expect(blobs()).toEqual([...before, id].sort());
    const files = readdirSync(path.join(storeDir(), id));
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) expect(readFileSync(path.join(storeDir(), id, f)).includes(DOCUMENT_MARKER)).toBe(false);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { type: "case-study.submitted", subjectId: id } });
    expect(JSON.parse(event.data)).toMatchObject({ sha256: row.sha256, mimeType: "application/pdf" });
  });

  it("accepts Word (DOCX), OpenDocument (ODT) and plain UTF-8 text, whatever the file is called", async () => {
    for (const [bytes, mime] of [
      [docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
      [odt(), "application/vnd.oasis.opendocument.text"],
      [text(), "text/plain; charset=utf-8"],
    ] as const) {
      const s = await scene();
      const id = await submitted(s.cookie, bytes, "renamed.bin");
      expect((await studyState(id)).mimeType).toBe(mime);
    }
  });

  it("refuses what is not a document, an empty file, a file over the limit, a missing title or file — and keeps nothing", async () => {
    const s = await scene();
    const before = blobs();
    const refusals: [FormData, number, string, RegExp][] = [
      [
        form({ title: "An image" }, { name: "x.pdf", type: "application/pdf", bytes: PNG }),
        400,
        "document",
        /a case study must be PDF, Word \(DOCX\)/,
      ],
      [
        form({ title: "An archive" }, { name: "x.docx", type: "application/zip", bytes: zip([["a.txt", "hello"]]) }),
        400,
        "document",
        /application\/zip/,
      ],
      [form({ title: "Binary" }, { name: "x.txt", type: "text/plain", bytes: BINARY }), 400, "document", /not a document we can read/],
      [form({ title: "Empty" }, { name: "x.txt", type: "text/plain", bytes: Buffer.alloc(0) }), 400, "document", /^This file is empty/],
      [
        form({ title: "Too large" }, { name: "x.pdf", type: "application/pdf", bytes: pdf(300 * 1024) }),
        413,
        "document",
        /^This file is larger than 256 KiB, the largest case study accepted\.$/,
      ],
      [form({ title: "" }, { name: "x.pdf", type: "application/pdf", bytes: pdf(1000) }), 400, "title", /Give the case study a title/],
      [form({ title: "No file" }), 400, "document", /Choose the document to upload/],
    ];
    for (const [body, status, field, message] of refusals) {
      const out = await submit(s.cookie, body);
      expect(out.status, String(message)).toBe(status);
      expect((out.data as { errors: Record<string, string> }).errors[field]).toMatch(message);
    }
    // A form posted without multipart (no file at all) is a field error too, never a 500.
    const plain = await callAction(index.action, { path: "/case-studies", cookie: s.cookie, form: { title: "x" } });
    expect(plain.status).toBe(400);
    expect(blobs()).toEqual(before);
    expect(await getDb().caseStudy.count({ where: { traineeId: s.trainee.id } })).toBe(0);
  });

  it("one at a time: not while one awaits marking; a case must be the trainee's own", async () => {
    const s = await scene();
    const other = await makeUser(["TRAINEE"]);
    const theirs = await createCase(getDb(), {
      traineeId: other.id,
      supervisorId: s.trainer.id,
      clientCode: "X-0042",
      startedOn: new Date("2026-10-01"),
    });
    if (!theirs.ok) throw new Error("no case");
    const before = blobs();
    const wrongCase = await submit(
      s.cookie,
      form({ title: "About someone else's case", caseId: theirs.id }, { name: "a.txt", type: "text/plain", bytes: text() }),
    );
    expect(wrongCase.status).toBe(400);
    expect((wrongCase.data as { errors: Record<string, string> }).errors.caseId).toBe("Choose one of your cases, or none");
    expect(blobs()).toEqual(before);
    await submitted(s.cookie, text(), "a.txt");
    const again = await submit(s.cookie, form({ title: "Another" }, { name: "b.txt", type: "text/plain", bytes: text() }));
    expect(again.status).toBe(409);
    expect((again.data as { errors: Record<string, string> }).errors.form).toMatch(/awaiting marking/);
    expect(await getDb().caseStudy.count({ where: { traineeId: s.trainee.id } })).toBe(1);
  });
});

describe("marking and resubmission", () => {
  it("the cohort trainer refers it with feedback; the trainee reads it and submits a revision; a pass ends it; history kept", async () => {
    const s = await scene();
    const first = await submitted(s.cookie, text(), "a.txt");
    const params = { caseStudyId: first };

    // The trainer's queue lists it; the page offers the marking form.
    const queue = await callLoader(index.loader, { path: "/case-studies", cookie: s.trainerCookie });
    expect((queue.data as { queue: { id: string }[] }).queue.map((q) => q.id)).toContain(first);
    const view = await callLoader(page.loader, { path: `/case-studies/${first}`, params, cookie: s.trainerCookie });
    expect(view.data).toMatchObject({ canMark: true, canDownload: true, status: "SUBMITTED" });

    const noFeedback = await callAction(page.action, {
      path: `/case-studies/${first}`,
      params,
      cookie: s.trainerCookie,
      form: { outcome: "REFER", feedback: " " },
    });
    expect(noFeedback.status).toBe(400);
    expect((noFeedback.data as { errors: Record<string, string> }).errors.feedback).toBe("Write feedback for the trainee");

    const refer = await callAction(page.action, {
      path: `/case-studies/${first}`,
      params,
      cookie: s.trainerCookie,
      form: { outcome: "REFER", feedback: "Say more about the ending phase." },
    });
    expect(refer.status).toBe(302);
    expect(await studyState(first)).toMatchObject({
      status: "REFERRED",
      mark: { outcome: "REFER", feedback: "Say more about the ending phase.", markerId: s.trainer.id },
    });
    // A mark is final.
    const twice = await callAction(page.action, {
      path: `/case-studies/${first}`,
      params,
      cookie: s.trainerCookie,
      form: { outcome: "PASS", feedback: "Changed my mind." },
    });
    expect(twice.status).toBe(409);
    expect((await studyState(first)).status).toBe("REFERRED");

    const seen = await callLoader(page.loader, { path: `/case-studies/${first}`, params, cookie: s.cookie });
    expect(seen.data).toMatchObject({
      own: true,
      canMark: false,
      mark: { outcome: "REFER", feedback: "Say more about the ending phase." },
    });

    const second = await submitted(s.cookie, docx(), "b.docx", "My case study, revised");
    expect((await studyState(second)).previousId).toBe(first);
    const pass = await callAction(page.action, {
      path: `/case-studies/${second}`,
      params: { caseStudyId: second },
      cookie: s.trainerCookie,
      form: { outcome: "PASS", feedback: "Clear and complete." },
    });
    expect(pass.status).toBe(302);
    expect((await studyState(second)).status).toBe("PASSED");
    const after = await submit(s.cookie, form({ title: "Third" }, { name: "c.txt", type: "text/plain", bytes: text() }));
    expect(after.status).toBe(409);
    expect((after.data as { errors: Record<string, string> }).errors.form).toMatch(/has passed/);
    const events = await getDb().auditEvent.findMany({
      where: { type: "case-study.marked", subjectId: { in: [first, second] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.subjectId, JSON.parse(e.data).outcome])).toEqual([
      [first, "REFER"],
      [second, "PASS"],
    ]);
  });

  it("a trainer of another cohort cannot see, mark or download it; an admin sees it but cannot mark or download", async () => {
    const s = await scene();
    const id = await submitted(s.cookie, text(), "a.txt");
    const params = { caseStudyId: id };
    const outsider = await makeUser(["TRAINER"]);
    await makeCohort({ trainers: [outsider.id], trainees: [(await makeUser(["TRAINEE"])).id] });
    const oc = await cookieFor(outsider.id);
    expect((await callLoader(page.loader, { path: `/case-studies/${id}`, params, cookie: oc })).status).toBe(404);
    expect(
      (await callAction(page.action, { path: `/case-studies/${id}`, params, cookie: oc, form: { outcome: "PASS", feedback: "x" } })).status,
    ).toBe(404);
    expect((await callForResponse(download.loader, { path: `/case-studies/${id}/document`, params, cookie: oc })).status).toBe(404);
    const queue = await callLoader(index.loader, { path: "/case-studies", cookie: oc });
    expect(JSON.stringify(queue.data)).not.toContain(id);

    const admin = await cookieFor((await makeUser(["ADMIN"])).id);
    const adminView = await callLoader(page.loader, { path: `/case-studies/${id}`, params, cookie: admin });
    expect(adminView.data).toMatchObject({ canMark: false, canDownload: false });
    expect(
      (await callAction(page.action, { path: `/case-studies/${id}`, params, cookie: admin, form: { outcome: "PASS", feedback: "x" } }))
        .status,
    ).toBe(403);
    expect((await callForResponse(download.loader, { path: `/case-studies/${id}/document`, params, cookie: admin })).status).toBe(403);
    expect((await studyState(id)).status).toBe("SUBMITTED");
  });
});

describe("downloading the document", () => {
  it("the trainee and their cohort trainer get the exact bytes, streamed, not cached, as an attachment; each download is audited", async () => {
    const s = await scene();
    const bytes = pdf(50_000);
    const id = await submitted(s.cookie, bytes);
    const params = { caseStudyId: id };
    for (const cookie of [s.cookie, s.trainerCookie]) {
      const res = await callForResponse(download.loader, { path: `/case-studies/${id}/document`, params, cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/pdf");
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("Content-Length")).toBe(String(bytes.length));
      expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="case-study-${id}.pdf"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const events = await getDb().auditEvent.findMany({ where: { type: "case-study.downloaded", subjectId: id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.actorId)).toEqual([s.trainee.id, s.trainer.id]);
    const other = await cookieFor((await makeUser(["TRAINEE"])).id);
    expect((await callForResponse(download.loader, { path: `/case-studies/${id}/document`, params, cookie: other })).status).toBe(404);
  });

  it("a damaged document is an error status, never bytes that did not authenticate", async () => {
    const s = await scene();
    const id = await submitted(s.cookie, pdf(40_000));
    flipStoredByte(path.join(storeDir(), id), 0, -20, 0xff);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await callForResponse(download.loader, {
      path: `/case-studies/${id}/document`,
      params: { caseStudyId: id },
      cookie: s.cookie,
    });
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('"msg":"case study download failed"')]);
    errors.mockRestore();
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "This document could not be read intact. The team has been told; please try again later." });
  });
});
