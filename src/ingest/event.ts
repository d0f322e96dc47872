export type { Event, JsonObject } from '../store/store.js';

/** Why one event of a request was not stored. */
export interface Rejection {
  /** Position of the event in the request's batch. */
  index: number;
  uuid?: string;
  code: string;
  detail: string;
}
