export { KeyRing, DecryptionError, KEY_BYTES, parseMasterKey, safeEqual, sealBuffer, openBuffer } from './key-ring';
export { createEncryptStream, createDecryptStream } from './encrypted-stream';
