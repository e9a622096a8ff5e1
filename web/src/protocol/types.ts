// The wire contract, from the one source: generated.ts is written by
// `go generate ./internal/protocol` from the Go definitions (payloads,
// names, limits, error codes). This file only adds what the client builds
// on top of it: the envelope, the message unions and the verdict words.

import type { ClientType, ServerEvents, ServerType, Verdict } from './generated'

export * from './generated'

export interface Envelope<T extends string = string, D = unknown> {
  v: number
  type: T
  id?: string
  data: D
}

/** Server → client messages, as a discriminated union on `type`. */
export type ServerMessage = { [K in ServerType]: Envelope<K, ServerEvents[K]> }[ServerType]

/** The message of one server type. */
export type ServerMessageOf<K extends ServerType> = Envelope<K, ServerEvents[K]>

export type { ClientType }

export const VERDICT_TEXT: Record<Verdict, string> = {
  AC: 'Accepted',
  WA: 'Wrong Answer',
  TLE: 'Time Limit Exceeded',
  MLE: 'Memory Limit Exceeded',
  RE: 'Runtime Error',
  CE: 'Compile Error',
  OLE: 'Output Limit Exceeded',
  JE: 'Judge Error',
  IE: 'Internal Error',
  OK: 'Ran',
  pending: 'Judging…',
}
