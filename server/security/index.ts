// Security building blocks used by the composition root and the admin API.
export { SecurityError, type SecurityErrorCode } from './errors.js';
export {
  createFieldCipher,
  generateKeyHex,
  parseKey,
  parseKeyList,
  type EncryptionKey,
  type FieldCipher,
} from './field-cipher.js';
export { keyFilePath, loadEncryptionKeys, type LoadedKeys } from './key-file.js';
export { createLookupHasher, deriveLookupKey, normaliseEmail, type LookupHasher } from './lookup-hash.js';
export {
  createApiKeyStore,
  generateApiKey,
  hashApiKey,
  looksLikeApiKey,
  type ApiKeyPrincipal,
  type ApiKeyStore,
  type ApiKeySummary,
  type GeneratedApiKey,
} from './api-keys.js';
export { can, PERMISSIONS, ROLES, type Permission } from './roles.js';
export { createPrismaAuditWriter, type AuditEntry, type AuditWriter } from './audit.js';
export {
  basicMaskPII,
  createSecureLogger,
  FREE_TEXT_FIELDS,
  REDACT_PATHS,
  type PiiMasker,
  type SecureLoggerOptions,
} from './logger.js';
export { scrubSecrets, secretValuesOf } from './log-scrub.js';
export { createFieldSecurity, type FieldSecurity } from './setup.js';
