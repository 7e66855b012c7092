/** The recording master key every test process and test server uses: fixed, and never a real one. */
export const TEST_MASTER_KEYS = `test-key:${Buffer.alloc(32, 7).toString("base64")}`;

/**
 * The credential signing keys (Ed25519 + RSA-2048) every test process and test server uses, as CREDENTIAL_KEYS:
 * fixed, made once for the tests with generateCredentialKeys, and never a real one.
 */
export const TEST_CREDENTIAL_KEY_RECORDS = [
  {
    kid: "ed25519-test",
    type: "Ed25519",
    created: "2026-01-01T00:00:00.000Z",
    retired: null,
    publicKeyMultibase: "z6MknFSGBGU1Nv41adnhgyZjVYY3aRr32qYZ8jdUBEQ7ndB8",
    secretKeyMultibase: "zrv5Webp5UFVPs8boqdiGPrxELt3d7Jnh3NEbyidDf4HmeGCwkEbKDiATDPaVYDe9vWBVHbovy7g57Scb3qhw1mqvhY",
  },
  {
    kid: "rsa-test",
    type: "RSA",
    created: "2026-01-01T00:00:00.000Z",
    retired: null,
    publicKeyJwk: {
      kty: "RSA",
      n: "wMgdJnNvpj77SGzkXzd8zCYzcTu9F7cN1ZuoFY1e0PU7yyEbfc6vWpeAN7huQ4uAkKOLUNAADtg0VPto0tJm89fTUTzYSHTmy2Holkikjbuop_6nIw_gmk-K_fAytqqCkwT372mM_aig6BWF5D-XPEtSm0CQDeSy_uGUwmw4IxY-f2ktb3vhJi0NAYLG2315tBybCq5xSooGMI7istrHxSuAIbb667POh1oc7fsLErbGpKamzshnvrMqSE6yL7C0RDYlINXf-gnIgM5D8--P__EOQR8FRTG1x2kNOw0tL3GOZaHzCWs4DK1ETANd0LnqUpiQIWngpIPtDKpX5KUq4Q",
      e: "AQAB",
    },
    privateKeyJwk: {
      kty: "RSA",
      n: "wMgdJnNvpj77SGzkXzd8zCYzcTu9F7cN1ZuoFY1e0PU7yyEbfc6vWpeAN7huQ4uAkKOLUNAADtg0VPto0tJm89fTUTzYSHTmy2Holkikjbuop_6nIw_gmk-K_fAytqqCkwT372mM_aig6BWF5D-XPEtSm0CQDeSy_uGUwmw4IxY-f2ktb3vhJi0NAYLG2315tBybCq5xSooGMI7istrHxSuAIbb667POh1oc7fsLErbGpKamzshnvrMqSE6yL7C0RDYlINXf-gnIgM5D8--P__EOQR8FRTG1x2kNOw0tL3GOZaHzCWs4DK1ETANd0LnqUpiQIWngpIPtDKpX5KUq4Q",
      e: "AQAB",
      d: "SZSXu7NXrAZh9rTJPaZ6FZmHDPMWK1UNDLjKoN9Cj1LqrY9HZO9ccqFcqOfV_iXivlINvJyHSSMwZjdHPSBddzirSViF3LHx3TLTiXjUhdxYdTZ3KKTIv10Y2e-yC5JtIBxHXbPVwoN4VtzQK9wxpyvArc0oroTZ5PrIwqR3kLwj1O-iyDvhtDAkuFaD7nnQYFGFBeN5WCu2pP3d4Tkh_X6Yx4QKL2wT7bs8Pwv-iG94xVHogUMI7yARaZRMh_kgMaD-sf7g9xgzF6ClqeG5uDNFiSaB5Wzqw4a-6e95W6eCWAA7OOFl3yWqiFkdLselrVa_4JW7BkP-mF5VtGBk2Q",
      p: "---BPCyWUYKv9e3LCc04qZB3RYtoDwUfM9Ho3rcoLgEAHVF4aemRllx2MTrrlDxZl8xKAopON2g8ETKoTCfs7f4mc4hqzHp0ByKD3wbSnm9qliuPZ5TbP2o_MtqOKNx51sKlHoCdS809LQb-qEoS8hBr4hjFeqqUNF5fGWylx3c",
      q: "w-RNogyl90pkAcOsUHXCpRexeoKlrDpFhQ2GxYsCDA5h5BI0w9uRePkO1-yIme--tAadI8uDUNcUSnVSqR-X-Fo7KmP7c464Q21brUws2gwFtEciprdUZKI1eYNJ6IQqRk6xOjXw_4tHTOWjfQNwvnH8Ezdv8QTlqZy-LJJr5mc",
      dp: "pSBfGVy0DarVwCBi4wLCr8kDk-6Cfs3BnMppkoiD6ls3gv_iJ7EyflYOFchjnh5MLsV0gOO7zm8gZ7lHO9szXO4mr7TrIyjjocWKn4SuSbAHMXRNovubFJ6D28YKRVf098FOTobIEmXsQfYCtbUPY99FhsTrsrHZP9XXCSgAJJM",
      dq: "KPuHnmKFCmJ-37ufPkoUydNWJypUHN8oEjkNPCDj8b_EjSGd9mfmXGfGyjfLMGFvBVzo3UdDltMYhKdc_tMESUofXLQENF3kgP7NEkmAjLG9M8U6I6TxPAiPpXdpLAMSkRj_jQ0h-WSbKyRT-uCQYteYBDEx8zuyDLUlOE_90Ps",
      qi: "3stM_lulTt-laRz3uHADz_zgmRqydLAqSO0mm683MWfDIpnbyEXP8ofDkoYGz6fmGPc3FVXiqa7l8EPbeqznnngk3WBT1ZzUiQrOqme85NcXsKwdHR9qmbZhQLqgWnHsZTsCsXAGmujU1gRAuy4ZQ6ITWL6i9YcrcCAX_YBDEPo",
    },
  },
];

export const TEST_CREDENTIAL_KEYS = JSON.stringify(TEST_CREDENTIAL_KEY_RECORDS);
