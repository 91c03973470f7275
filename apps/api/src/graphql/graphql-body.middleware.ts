import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../common/errors/error-codes';
import { assertSourceNesting } from './query-limits';

/** Room beside an inline image for the query document and the other variables. */
export const BODY_ROOM_BYTES = 64 * 1024;

/** The largest JSON body POST /graphql reads: an inline image of `maxInlineBytes` as base64 (4/3 larger), plus room for the rest. */
export function graphqlBodyLimit(maxInlineBytes: number): number {
  return Math.ceil(maxInlineBytes / 3) * 4 + BODY_ROOM_BYTES;
}

/** What body-parser's errors carry (http-errors). */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/**
 * The JSON body parser of POST /graphql, sized from MAX_INLINE_BYTES, and the handler that
 * answers its refusals in the GraphQL error shape (never express's HTML error page):
 * a body over the limit is 413 IMAGE_TOO_LARGE, an unreadable one 400 BAD_REQUEST.
 */
export function graphqlJsonBody(maxInlineBytes: number): [RequestHandler, ErrorRequestHandler] {
  const limit = graphqlBodyLimit(maxInlineBytes);
  const refuse: ErrorRequestHandler = (error: BodyParserError, _req, res, next) => {
    // body-parser's errors carry a type, except a body that does not decompress (a zlib error with a status only).
    if ((typeof error?.type !== 'string' && typeof error?.status !== 'number') || res.headersSent) return next(error);
    if (error.type === 'entity.too.large') {
      const message = `The request body is larger than ${limit} bytes. Inline images are limited to ${maxInlineBytes} bytes; send larger ones with createUpload.`;
      res.status(413).json({ errors: [{ message, extensions: { code: ErrorCode.IMAGE_TOO_LARGE, maxInlineBytes } }] });
      return;
    }
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 400;
    const message = error.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : 'The request body could not be read.';
    res.status(status).json({ errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST } }] });
  };
  return [express.json({ limit }), refuse];
}

/**
 * Refuses a document nested too deeply to parse safely (assertSourceNesting) with 400
 * QUERY_TOO_COMPLEX before Apollo parses it: the JSON body's `query` and every `query` of the
 * URL, read as Apollo reads a GET (URLSearchParams over the whole query string: Express's own
 * parser stops at 1000 parameters, and a GET may carry a body too).
 */
export const refuseDeepDocuments: RequestHandler = (req, res, next) => {
  const body = req.body as { query?: unknown } | undefined;
  const search = req.originalUrl.indexOf('?');
  const texts = search < 0 ? [] : new URLSearchParams(req.originalUrl.slice(search + 1)).getAll('query');
  if (typeof body?.query === 'string') texts.push(body.query);
  try {
    for (const text of texts) assertSourceNesting(text);
  } catch (error) {
    if (!(error instanceof GraphQLError)) return next(error);
    res.status(400).json({ errors: [{ message: error.message, extensions: error.extensions }] });
    return;
  }
  next();
};
