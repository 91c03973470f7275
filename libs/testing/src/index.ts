// Test images shared by the API, inference and CLI tests (never imported by production code).
export { PNG_SIGNATURE, aPixelBombPng, pngChunk } from './png-bytes';
export { aNoisyImage, aSubjectImage, aTruncatedPng, alphaOf, anSvgImage, truncated, type TestImageFormat } from './test-images';
export { glibcTunablesIn, glibcTunablesOf } from './glibc-tunables';
