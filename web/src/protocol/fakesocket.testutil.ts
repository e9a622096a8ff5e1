// A scripted stand-in for the browser WebSocket: records what the client
// sends and lets the test play the server.
export class FakeSocket {
  static all: FakeSocket[] = []
  readyState = 0
  sent: { v: number; type: string; id?: string; data: Record<string, unknown> }[] = []
  onopen: (() => void) | null = null
  onmessage: ((e: { data: unknown }) => void) | null = null
  onclose: ((e: { code: number }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(public url: string, public protocol: string) {
    FakeSocket.all.push(this)
  }
  send(s: string) {
    this.sent.push(JSON.parse(s))
  }
  close(code = 1000) {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code })
  }
  // server side
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  reply(type: string, data: unknown, id?: string) {
    this.onmessage?.({ data: JSON.stringify({ v: 1, type, data, ...(id ? { id } : {}) }) })
  }
  last() {
    return this.sent[this.sent.length - 1]
  }
}
