// Every stable error code the server can send (internal/errcode, the same
// on REST and the WebSocket, listed in the generated ErrorCode) mapped to
// the text a player sees: the type makes a new code without a text a build
// error. Codes from a newer server fall back to the server's own message.

import { MAX_CHAT_CHARS, MAX_CODE_BYTES, MAX_INPUT_BYTES, MAX_FRAME_BYTES, type ErrorCode } from '../protocol/generated'
import type { ClientErrorCode } from './api'

/** "64 KiB": a byte limit as players read it. */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`
  return `${n} bytes`
}

export const ERROR_TEXT: Record<ErrorCode | ClientErrorCode, string> = {
  // REST / auth
  invalid_json: 'The request was malformed. Reload the page and try again.',
  unknown_field: 'The request had an unexpected field. Reload the page; the app may be out of date.',
  invalid_request: 'That request was not valid.',
  invalid_username: 'Usernames are 3–32 characters: lowercase letters, digits, _ or -.',
  invalid_password: 'Passwords must be 10 to 256 characters long.',
  oauth_state_invalid: 'That sign-in attempt expired or was already used. Start again.',
  oauth_token_invalid: "The sign-in provider's answer could not be verified. Try again.",
  oauth_denied: 'Sign-in was cancelled at the provider.',
  bad_credentials: 'Wrong username or password.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  forbidden_origin: 'The request came from another site and was refused. Open the arena from its own address.',
  forbidden: "You don't have permission to do that.",
  account_disabled: 'This account is disabled. Contact an operator.',
  not_found: 'Not found.',
  provider_unknown: 'That sign-in provider is not enabled on this arena.',
  method_not_allowed: 'That action is not allowed here.',
  username_taken: 'That username is taken. Pick another one.',
  username_reserved: 'That username is reserved. Pick another one.',
  password_too_common: 'That password is too easy to guess (common, a sequence, or your username). Pick another one.',
  proof_of_work_invalid: 'The sign-up check did not complete. Try again.',
  identity_taken: 'That provider account is already linked to another player.',
  body_too_large: 'That was too large to send.',
  unsupported_media_type: 'The request was sent in a format the server does not accept.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  internal: 'Something went wrong on the server. Try again in a moment.',
  oauth_provider_error: 'The sign-in provider could not be reached. Try again later.',
  unavailable: 'The arena is temporarily unavailable. Retrying shortly.',
  // WebSocket protocol
  bad_frame: 'The server could not read a message from this tab. Reload the page.',
  unsupported_version: 'This page is out of date. Reload to get the current version.',
  unknown_type: 'The server did not understand a message. Reload the page; the app may be out of date.',
  not_hello: 'The connection was not set up properly. Reconnecting…',
  too_many_connections: 'Too many arena tabs are open for your account. Close one and reload.',
  already_queued: 'You are already in a queue.',
  already_in_match: 'You are already in a match. Finish it first.',
  queue_cooldown: 'You declined or missed a match: queueing is paused for a short while.',
  ranked_locked: 'Ranked opens once your account is a little older or has played a few more matches. Casual and practice are open.',
  already_solved: 'Your accepted submission is final in a Shortest match.',
  rematch_closed: 'This rematch is over: it was declined, expired or already started, or the match cannot be rematched.',
  problem_in_match: 'You are playing this problem in a match: submit and run it there. Practice on it opens when the match is over.',
  chat_empty: 'Type a message first.',
  chat_too_long: `Chat messages are at most ${MAX_CHAT_CHARS} characters.`,
  chat_invalid_text: 'Chat messages are one line of text: no control characters or direction overrides.',
  chat_forbidden: "You can't use this chat (during a ranked match, players and spectators chat apart).",
  chat_timed_out: 'A moderator paused your chat for a while.',
  chat_message_not_found: 'That message is gone (deleted or expired).',
  not_queued: 'You are not in a queue.',
  match_not_found: 'That match does not exist.',
  not_in_match: 'You are not a player in that match.',
  accept_expired: 'Too late: the match was not accepted in time.',
  already_accepted: 'You already accepted this match.',
  match_not_running: 'The match is not running right now.',
  deadline_passed: "Time's up: submissions after the deadline are not judged.",
  language_unsupported: 'That language is not available for this problem.',
  // The server's answer: the code reached it and was refused (the client
  // refuses oversized code itself before sending, with its own message).
  code_too_large: `The server refused your code: it is over the ${formatBytes(MAX_CODE_BYTES)} limit. Nothing was judged.`,
  input_too_large: `The server refused your custom input: it is over the ${formatBytes(MAX_INPUT_BYTES)} limit. Nothing was run.`,
  judge_busy: 'Your previous run or submission is still being judged.',
  room_not_found: 'No room has that code. Check it and try again.',
  room_full: 'That room is full.',
  not_room_host: 'Only the host can start the room.',
  room_too_small: 'A room needs at least two players to start.',
  problem_not_found: 'That problem does not exist.',
  spectate_forbidden: "You can't spectate that match.",
  ghost_not_found: 'No accepted solution on this problem by a player of that rating band yet. Try another band, or race without a ghost.',
  timeline_resync: 'The replay recorder lost track of your editor; it is sending your code again.',
  timeline_too_large: 'That editor change was too large to record for the replay.',
  timeline_full: 'The replay recording of your editor is full for this match; your code and submissions are not affected.',
  // judge (REST submissions and runs, code.run/code.submit: the same codes)
  judge_saturated: 'The judges are saturated right now. Try again in a few seconds.',
  code_empty: 'There is no code to run: write something first.',
  code_not_utf8: 'Your code is not valid UTF-8 text.',
  input_not_utf8: 'Custom input is not valid UTF-8 text.',
  cancelled: 'The request was cancelled.',
  language_unavailable: 'No judge offers that language right now. Try again shortly or pick another language.',
  no_samples: 'This problem has no sample tests: run it on your own input.',
  no_coach_report: 'Only accepted submissions get a coach report.',
  frame_too_large: `That message was over the server's ${formatBytes(MAX_FRAME_BYTES)} limit and was refused.`,
  // problem uploads (admins)
  problem_conflict: 'That upload conflicts with the stored problem.',
  missing_id: 'Give the problem id: the zip has problem.yaml at its top.',
  id_mismatch: 'The problem id does not match the package directory in the zip.',
  verify_unavailable: 'This server cannot verify packages: upload without verification.',
  bad_archive: 'The zip is malformed or unsafe.',
  bad_yaml: 'A YAML file of the package does not parse.',
  bad_type: 'A package setting has a value of the wrong type.',
  bad_value: 'A package setting has an impossible value.',
  missing: 'A required file of the package is missing.',
  unsupported: 'The package uses a feature this arena does not support.',
  bad_layout: 'Package files are in places they cannot be.',
  verify_failed: 'The package failed verification.',
  decision_conflict: 'That decision does not apply any more: the match is voided already (or not finished), the player is banned already (or not), or the decision was already reversed.',
  tournament_closed: 'Registration for this tournament is closed, or check-in is not open right now.',
  tournament_full: 'This tournament is full.',
  in_tournament: 'You are playing in a tournament: your matches there come to you, so you cannot queue, open a room or practise until it ends.',
  // client-side
  offline: 'You are offline. Reconnecting…',
  timeout: 'The server did not answer in time. Try again.',
  network: 'Could not reach the arena server. Check your connection.',
}

export function errorText(code: string, fallback?: string): string {
  return (ERROR_TEXT as Record<string, string>)[code] ?? fallback ?? `Unexpected error (${code}).`
}

/** errorText plus when to retry, for errors that say (retry_after_ms, Retry-After). */
export function errorTextRetry(code: string, fallback: string | undefined, retryAfterMs: number | undefined): string {
  const text = errorText(code, fallback)
  if (!retryAfterMs || retryAfterMs <= 0) return text
  const s = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return `${text} Try again in ${s} s.`
}
