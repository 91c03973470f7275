/**
 * Every queue the platform runs on pg-boss, and the message each one carries: the queue
 * vocabulary exists once, here. Messages hold ids only, never personal data (the queue's
 * tables are part of the database a privacy dump scans).
 */
export interface QueueMessages {
  /** One background-removal job (jobs/worker). */
  'remove-background': { jobId: string };
  /** One run of the retention sweeper (privacy/retention), sent by a pg-boss schedule. */
  'privacy-sweep': Record<string, never>;
  /** One execution of an approved data-subject request (privacy/data-requests). */
  'data-request': { requestId: string };
}

export type QueueName = keyof QueueMessages;

export const REMOVE_BACKGROUND_QUEUE = 'remove-background' satisfies QueueName;
export const PRIVACY_SWEEP_QUEUE = 'privacy-sweep' satisfies QueueName;
export const DATA_REQUEST_QUEUE = 'data-request' satisfies QueueName;

export const QUEUES: readonly QueueName[] = [REMOVE_BACKGROUND_QUEUE, PRIVACY_SWEEP_QUEUE, DATA_REQUEST_QUEUE];

/** One delivery of a queued message to a worker. */
export interface QueueDelivery<Q extends QueueName> {
  message: QueueMessages[Q];
  /** 1 for the first delivery. */
  attempt: number;
  /** Aborted when the worker stops. */
  signal?: AbortSignal;
}

/**
 * What a handler did with a delivery (e.g. a JobOutcome). Only `retry` matters to the queue:
 * the adapter turns it into the throw that makes pg-boss deliver the message again.
 */
export interface QueueOutcome {
  kind: string;
  reason?: string;
}

/** One handler per queue, all given in one place (start-api); a missing or unknown one fails at boot. */
export type QueueHandlers = { [Q in QueueName]: (delivery: QueueDelivery<Q>) => Promise<QueueOutcome> };
