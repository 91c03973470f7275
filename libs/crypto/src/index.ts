export { KeyRing, DecryptionError, KEY_BYTES, parseMasterKey, safeEqual, sealBuffer, openBuffer } from './key-ring';
export {
  createEncryptStream,
  createDecryptStream,
  encryptedSize,
  DEFAULT_SEGMENT_BYTES,
  type EncryptStreamOptions,
} from './encrypted-stream';
