// One chat channel as a mounted panel shows it: joined while the socket is
// open (chat.join answers the kept history), pushed messages and deletions
// folded in, left on unmount. Messages are kept as data and rendered as
// text by the panel: never HTML, links not clickable.

import { useEffect, useState } from 'react'
import { createStore, useStore } from '../lib/store'
import { act, arenaClient, onServerMessage, useArena } from '../protocol/arena'
import type { RequestError } from '../protocol/client'
import { CHAT_HISTORY_MAX, type ChatMessage } from '../protocol/types'

/** The users muted in this tab (the server filters them too, on every node). */
export const mutedStore = createStore<number[]>([])

/** Adds messages (history or pushes) by id, oldest first, keeping the latest. */
export function mergeMessages(into: ChatMessage[], add: ChatMessage[]): ChatMessage[] {
  const byId = new Map(into.map((m) => [m.id, m]))
  for (const m of add) byId.set(m.id, m)
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-2 * CHAT_HISTORY_MAX)
}

export interface ChatView {
  messages: ChatMessage[]
  /** Why the channel could not be joined (an error code), or null. */
  error: string | null
  joined: boolean
  muted: number[]
  send: (text: string) => Promise<boolean>
  mute: (userId: number, muted: boolean) => Promise<void>
  report: (messageId: number) => Promise<boolean>
  /** Administrators: delete a message (every panel drops it), stop a user's chat for minutes. */
  remove: (messageId: number) => Promise<boolean>
  timeout: (userId: number, minutes: number) => Promise<boolean>
}

export function useChat(channel: string): ChatView {
  const conn = useArena((a) => a.conn)
  const muted = useStore(mutedStore)
  const [messages, setMessages] = useState<ChatMessage[]>([])
  const [error, setError] = useState<string | null>(null)
  const [joined, setJoined] = useState(false)

  useEffect(() => {
    setMessages([])
    return onServerMessage((m) => {
      if (m.type === 'chat.message' && m.data.channel === channel) setMessages((ms) => mergeMessages(ms, [m.data]))
      else if (m.type === 'chat.deleted' && m.data.channel === channel) setMessages((ms) => ms.filter((x) => x.id !== m.data.message_id))
    })
  }, [channel])

  useEffect(() => {
    const c = arenaClient()
    if (!c || conn !== 'open') return
    let stale = false
    c.request('chat.join', { channel }).then(
      (m) => {
        if (stale || m.type !== 'chat.history') return
        setMessages((ms) => mergeMessages(ms, m.data.messages))
        setError(null)
        setJoined(true)
      },
      (e: RequestError) => !stale && (setError(e.code), setJoined(false)),
    )
    return () => {
      stale = true
      setJoined(false)
      c.send('chat.leave', { channel })
    }
  }, [channel, conn])

  const send = async (text: string) => (await act('chat.send', { channel, text })) !== null
  const mute = async (userId: number, on: boolean) => {
    const r = await act('chat.mute', { user_id: userId, muted: on })
    if (r?.type === 'chat.mutes') mutedStore.set(r.data.users)
  }
  const report = async (messageId: number) => (await act('chat.report', { channel, message_id: messageId })) !== null
  const remove = async (messageId: number) => (await act('chat.delete', { channel, message_id: messageId })) !== null
  const timeout = async (userId: number, minutes: number) => (await act('chat.timeout', { user_id: userId, minutes })) !== null
  return { messages: messages.filter((m) => !muted.includes(m.user_id)), error, joined, muted, send, mute, report, remove, timeout }
}
