import { status } from '@grpc/grpc-js';
import { errorCodeFromGrpc, InferenceError } from './inference.errors';
import { OutputFormat, OutputType, SizePreset } from './generated/inference.generated';
import { parseInferenceUrls } from './inference.client';
import { toOutputOptions } from './inference.options';

describe('inference errors', () => {
  it('prefers the server trailer, else maps the gRPC status', () => {
    expect(errorCodeFromGrpc(status.INVALID_ARGUMENT, 'IMAGE_TOO_LARGE')).toBe('IMAGE_TOO_LARGE');
    expect(errorCodeFromGrpc(status.INVALID_ARGUMENT, 'bogus')).toBe('INVALID_ARGUMENT');
    expect(errorCodeFromGrpc(status.UNAVAILABLE)).toBe('UNAVAILABLE');
    expect(errorCodeFromGrpc(status.NOT_FOUND)).toBe('MODEL_NOT_FOUND');
    expect(errorCodeFromGrpc(status.UNKNOWN)).toBe('INTERNAL_ERROR');
    expect(errorCodeFromGrpc(status.CANCELLED)).toBe('CANCELED');
  });

  it('reads grpc-js refusing a request past the server’s receive limit as IMAGE_TOO_LARGE, not a busy server', () => {
    // Regression: it read as RESOURCE_EXHAUSTED (transient): the client failed over, the job was retried as INFERENCE_BUSY.
    const code = errorCodeFromGrpc(status.RESOURCE_EXHAUSTED, undefined, 'Received message larger than max (2200000 vs 2048576)');
    expect(code).toBe('IMAGE_TOO_LARGE');
    expect(new InferenceError(code, 'x').transient).toBe(false);
    expect(errorCodeFromGrpc(status.RESOURCE_EXHAUSTED, undefined, 'server busy: 16 requests in flight')).toBe('RESOURCE_EXHAUSTED');
  });

  it('reads the old spellings of an older server by their gRPC status', () => {
    expect(errorCodeFromGrpc(status.CANCELLED, 'CANCELLED')).toBe('CANCELED');
    expect(errorCodeFromGrpc(status.INTERNAL, 'INTERNAL')).toBe('INTERNAL_ERROR');
  });

  it('marks retryable codes as transient', () => {
    expect(new InferenceError('UNAVAILABLE', 'x').transient).toBe(true);
    expect(new InferenceError('RESOURCE_EXHAUSTED', 'x').transient).toBe(true);
    expect(new InferenceError('UNSUPPORTED_IMAGE', 'x').transient).toBe(false);
  });
});

describe('client helpers', () => {
  it('parses INFERENCE_URLS', () => {
    expect(parseInferenceUrls(' a:1, grpc://b:2 ,,')).toEqual(['a:1', 'b:2']);
  });

  it('maps caller options to the wire', () => {
    expect(toOutputOptions({ size: 3, type: 'mask', format: 'jpg', cropMargin: '4' })).toMatchObject({
      size: SizePreset.CUSTOM,
      maxMegapixels: 3,
      type: OutputType.MASK,
      format: OutputFormat.JPG,
      cropMargin: '4',
    });
    expect(toOutputOptions()).toMatchObject({ size: SizePreset.FULL, type: OutputType.CUTOUT, format: OutputFormat.PNG });
  });
});
