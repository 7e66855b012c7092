/**
 * The OpenAPI 3.1 description of the public API (/api/v1), served at /api/v1/openapi.json. Pure data: the one
 * place the API's paths, parameters, answers and shapes are written down; test/integration/verify-openapi.test.ts
 * calls every path it lists and checks the answers against it. docs/verification.md explains it for people.
 */

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const tooMany = {
  description: "Too many requests from this client address in the current window (see the Retry-After header).",
  headers: { "Retry-After": { description: "Seconds until the window ends.", schema: { type: "integer", minimum: 1 } } },
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

const notAllowed = {
  description: "Only GET and HEAD are answered.",
  headers: { Allow: { schema: { type: "string", const: "GET, HEAD" } } },
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

const codeParameter = {
  name: "code",
  in: "path",
  required: true,
  description:
    "The certificate's verification code, e.g. ATN-7K4Q-92XD. Case, spaces and dashes do not matter; the answer gives the canonical form.",
  schema: { type: "string", maxLength: 64, examples: ["ATN-7K4Q-92XD"] },
};

const lookupErrors = {
  "400": errorResponse("The code cannot be a certificate code (wrong length, or characters codes never contain)."),
  "404": errorResponse("No certificate has this code."),
  "405": notAllowed,
  "429": tooMany,
};

const statusList = (purpose: "revocation" | "suspension") => ({
  get: {
    operationId: `${purpose}StatusList`,
    summary: `The ${purpose} status list`,
    description:
      `A signed W3C BitstringStatusListCredential (statusPurpose "${purpose}"), at least 131,072 entries. A credential's ` +
      `credentialStatus entry with statusPurpose "${purpose}" names this list and its index; the bit is 1 when the credential is ${purpose === "revocation" ? "revoked" : "suspended"}.`,
    tags: ["credentials"],
    responses: {
      "200": {
        description:
          "The status list credential, with an embedded DataIntegrityProof (eddsa-rdfc-2022). Cacheable for 60 seconds " +
          "(`Cache-Control: public, max-age=60`): a change of status shows within a minute. Not rate-limited.",
        content: { "application/vc+ld+json": { schema: { $ref: "#/components/schemas/VerifiableCredential" } } },
      },
      "405": notAllowed,
    },
  },
});

export function openApiDocument(baseUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Attune certificate verification API",
      version: "1.0.0",
      summary: "Check Attune DIT practitioner certificates: status by code, signed credentials, the public register.",
      description:
        "Public and read-only: no sign-in. Every answer but the status lists' is `Cache-Control: no-store` (a status can change at any moment) and " +
        "readable from any origin. Lookups are rate-limited per client address (429 with Retry-After). Nothing clinical is " +
        "ever returned, nor the reason for a suspension or revocation. For people: /verify and /register.",
    },
    servers: [{ url: baseUrl }],
    tags: [
      { name: "verification", description: "The status of a certificate, by its code" },
      { name: "credentials", description: "Signed Open Badges 3.0 credentials and their status lists, for offline checks" },
      { name: "register", description: "Certified practitioners who chose to be listed" },
    ],
    paths: {
      "/api/v1/certificates/{code}": {
        get: {
          operationId: "getCertificate",
          summary: "A certificate's status",
          tags: ["verification"],
          parameters: [codeParameter],
          responses: {
            "200": {
              description: "The certificate, with its status now.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Certificate" } } },
            },
            ...lookupErrors,
          },
        },
      },
      "/api/v1/certificates/{code}/credential.json": {
        get: {
          operationId: "getCredentialDataIntegrity",
          summary: "The signed credential, with an embedded proof",
          description:
            "An Open Badges 3.0 OpenBadgeCredential (W3C Verifiable Credentials 2.0) with a DataIntegrityProof (cryptosuite " +
            "eddsa-rdfc-2022). Signed once; it never changes when the status does — check its credentialStatus entries " +
            "against the status lists.",
          tags: ["credentials"],
          parameters: [codeParameter],
          responses: {
            "200": {
              description: "The credential.",
              content: { "application/vc+ld+json": { schema: { $ref: "#/components/schemas/VerifiableCredential" } } },
            },
            ...lookupErrors,
          },
        },
      },
      "/api/v1/certificates/{code}/credential": {
        get: {
          operationId: "getCredentialJwt",
          summary: "The signed credential as a VC-JWT",
          description:
            "The same credential as a compact JWS (RS256); its `kid` names a key in /.well-known/jwks.json. Signed once, like the JSON-LD form.",
          tags: ["credentials"],
          parameters: [codeParameter],
          responses: {
            "200": {
              description: "The compact JWS: three base64url parts joined by dots.",
              content: {
                "application/vc+jwt": { schema: { type: "string", pattern: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$" } },
              },
            },
            ...lookupErrors,
          },
        },
      },
      "/api/v1/status-lists/revocation": statusList("revocation"),
      "/api/v1/status-lists/suspension": statusList("suspension"),
      "/api/v1/register": {
        get: {
          operationId: "searchRegister",
          summary: "Search the public register",
          description:
            "Certificates whose holders chose to be listed (revoked ones are not), by name or registration number: every word " +
            "of `q` must appear in the holder's name or registration number, ignoring case. Ordered by name.",
          tags: ["register"],
          parameters: [
            {
              name: "q",
              in: "query",
              required: false,
              description: "Name or registration number, or part of either. Empty lists everyone.",
              schema: { type: "string", maxLength: 100 },
            },
            { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1, default: 1 } },
          ],
          responses: {
            "200": {
              description: "One page of matches.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/RegisterPage" } } },
            },
            "400": errorResponse("`q` is too long, or `page` is not a positive whole number."),
            "405": notAllowed,
            "429": tooMany,
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "This description",
          tags: ["verification"],
          responses: {
            "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } },
            "405": notAllowed,
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: { error: { type: "string", description: "What went wrong, in words for people." } },
          additionalProperties: false,
        },
        Certificate: {
          type: "object",
          required: ["code", "status", "holder", "credential", "issuer", "issuedAt", "expiresAt", "verifyUrl"],
          additionalProperties: false,
          properties: {
            code: { type: "string", pattern: "^ATN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$" },
            status: {
              type: "string",
              enum: ["valid", "suspended", "revoked", "expired"],
              description:
                "valid: current. suspended: not to be relied on for now (reversible). revoked: withdrawn for good. expired: past its expiry date.",
            },
            holder: {
              type: "object",
              required: ["name", "registrationBody", "registrationNumber"],
              additionalProperties: false,
              properties: {
                name: { type: "string" },
                registrationBody: { type: ["string", "null"], description: "Home registration body, e.g. HCPC, BACP, UKCP, BPS." },
                registrationNumber: { type: ["string", "null"] },
              },
            },
            credential: { type: "string", description: "The credential's name, e.g. DIT Practitioner." },
            issuer: { type: "string" },
            issuedAt: { type: "string", format: "date-time" },
            expiresAt: { type: ["string", "null"], format: "date-time", description: "Null: does not expire." },
            verifyUrl: { type: "string", format: "uri", description: "The public verification page of this code." },
          },
        },
        RegisterPage: {
          type: "object",
          required: ["query", "page", "pageSize", "total", "pages", "results"],
          additionalProperties: false,
          properties: {
            query: { type: "string" },
            page: { type: "integer", minimum: 1 },
            pageSize: { type: "integer", minimum: 1 },
            total: { type: "integer", minimum: 0 },
            pages: { type: "integer", minimum: 1 },
            results: { type: "array", items: { $ref: "#/components/schemas/Certificate" } },
          },
        },
        VerifiableCredential: {
          type: "object",
          required: ["@context", "type", "issuer", "credentialSubject", "proof"],
          properties: {
            "@context": { type: "array", items: { type: ["string", "object"] } },
            id: { type: "string" },
            type: { type: "array", items: { type: "string" } },
            issuer: { type: ["string", "object"] },
            validFrom: { type: "string", format: "date-time" },
            validUntil: { type: "string", format: "date-time" },
            credentialSubject: { type: "object" },
            credentialStatus: { type: ["object", "array"] },
            proof: {
              type: "object",
              required: ["type", "cryptosuite", "verificationMethod", "proofPurpose", "proofValue"],
              properties: {
                type: { const: "DataIntegrityProof" },
                cryptosuite: { const: "eddsa-rdfc-2022" },
                verificationMethod: { type: "string" },
                proofPurpose: { const: "assertionMethod" },
                proofValue: { type: "string" },
              },
            },
          },
        },
      },
    },
  } as const;
}

/** The /api/v1 paths the document describes (for the test that calls each of them). */
export function documentedPaths(): string[] {
  return Object.keys(openApiDocument("http://localhost").paths);
}
