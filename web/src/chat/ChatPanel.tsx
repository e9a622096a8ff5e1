import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { ERROR_TEXT } from '../lib/errors'
import { MAX_CHAT_CHARS, type ChatMessage, type ErrorCode } from '../protocol/types'
import { useSession } from '../lib/session'
import { useArena } from '../protocol/arena'
import { useChat, type ChatView } from './useChat'

export interface ChatTab {
  channel: string
  label: string
}

/**
 * A chat panel: one tab per channel (lobby; a match's players and
 * spectators). Messages are text nodes (React escapes them; links stay
 * plain text), announced politely to screen readers, and the input is
 * labelled. It fits a phone: one column, the input under the log.
 */
export function ChatPanel({ tabs, title = 'Chat', className = '', collapsible = false, defaultOpen = true }: {
  tabs: ChatTab[]; title?: string; className?: string; collapsible?: boolean; defaultOpen?: boolean
}) {
  const [active, setActive] = useState(0)
  const [open, setOpen] = useState(defaultOpen || !collapsible)
  const tab = tabs[Math.min(active, tabs.length - 1)]
  const headingId = useId()
  if (!tab) return null
  return (
    <section className={`panel flex min-h-0 flex-col p-3 ${open ? className : ''}`} aria-labelledby={headingId} data-testid="chat" data-open={open}>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h2 id={headingId} className="font-semibold text-white">{title}</h2>
        {collapsible ? (
          <button type="button" className="order-last ml-auto text-xs text-slate-400 hover:text-white" aria-expanded={open} data-testid="chat-toggle"
            onClick={() => setOpen((o) => !o)}>{open ? 'Hide' : 'Show'}</button>
        ) : null}
        {tabs.length > 1 ? (
          <div role="tablist" aria-label="Chat channels" className="flex gap-1">
            {tabs.map((t, i) => (
              <button key={t.channel} type="button" role="tab" aria-selected={t === tab} data-testid={`chat-tab-${t.label.toLowerCase()}`}
                onClick={() => setActive(i)}
                className={`rounded-lg px-3 py-1 text-sm font-semibold ${t === tab ? 'bg-white/10 text-white' : 'text-slate-400'}`}>{t.label}</button>
            ))}
          </div>
        ) : null}
      </div>
      {open ? <ChatChannel key={tab.channel} tab={tab} /> : null}
    </section>
  )
}

function ChatChannel({ tab }: { tab: ChatTab }) {
  const chat = useChat(tab.channel)
  const me = useArena((a) => a.user?.user_id)
  const session = useSession()
  const admin = session.status === 'signed-in' && session.me.role === 'admin'
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const inputId = useId()
  const logRef = useRef<HTMLDivElement>(null)
  const length = [...text.trim()].length
  const tooLong = length > MAX_CHAT_CHARS

  useEffect(() => {
    const el = logRef.current
    if (el) el.scrollTop = el.scrollHeight
  }, [chat.messages.length])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!length || tooLong || sending) return
    setSending(true)
    if (await chat.send(text)) setText('')
    setSending(false)
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" role="tabpanel" aria-label={`${tab.label} chat`} data-channel={tab.channel}>
      {chat.error ? <p className="text-sm text-amber-300" role="status" data-testid="chat-error">{ERROR_TEXT[chat.error as ErrorCode] ?? chat.error}</p> : null}
      <div ref={logRef} role="log" aria-live="polite" aria-label={`${tab.label} messages`} data-testid="chat-log"
        className="min-h-24 flex-1 overflow-y-auto text-sm break-words">
        {chat.messages.length === 0 ? <p className="text-slate-500">No messages yet.</p> : (
          <ul className="space-y-1">
            {chat.messages.map((m) => <Line key={m.id} m={m} mine={m.user_id === me} admin={admin} chat={chat} />)}
          </ul>
        )}
      </div>
      <form className="flex gap-2" onSubmit={submit}>
        <label htmlFor={inputId} className="sr-only">{`Message to ${tab.label.toLowerCase()} chat`}</label>
        <input id={inputId} className="input min-w-0 flex-1" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off"
          maxLength={MAX_CHAT_CHARS * 2} placeholder={chat.joined ? 'Say something…' : 'Chat unavailable'} disabled={!chat.joined}
          aria-invalid={tooLong} aria-describedby={tooLong ? `${inputId}-too-long` : undefined} data-testid="chat-input" />
        <button type="submit" className="btn-primary" disabled={!chat.joined || !length || tooLong || sending} data-testid="chat-send">Send</button>
      </form>
      {tooLong ? <p id={`${inputId}-too-long`} className="text-xs text-amber-300">{`${length}/${MAX_CHAT_CHARS} characters: too long`}</p> : null}
    </div>
  )
}

function Line({ m, mine, admin, chat }: { m: ChatMessage; mine: boolean; admin: boolean; chat: ChatView }) {
  const [reported, setReported] = useState(false)
  return (
    <li className="group flex flex-wrap items-baseline gap-x-2" data-testid="chat-message" data-user={m.username}>
      <span className="font-semibold text-neon">{m.username}</span>
      <span className="min-w-0 whitespace-pre-wrap text-slate-200" data-testid="chat-text">{m.text}</span>
      <span className="ml-auto flex gap-2 text-xs text-slate-500">
        {mine ? null : (
          <>
            <button type="button" className="hover:text-white" onClick={() => void chat.mute(m.user_id, true)} aria-label={`Mute ${m.username}`}>mute</button>
            <button type="button" className="hover:text-white" disabled={reported} aria-label={`Report this message by ${m.username}`}
              onClick={() => { setReported(true); void chat.report(m.id) }}>{reported ? 'reported' : 'report'}</button>
          </>
        )}
        {admin ? (
          <>
            <button type="button" className="hover:text-white" onClick={() => void chat.remove(m.id)} aria-label={`Delete this message by ${m.username}`}>delete</button>
            {mine ? null : <button type="button" className="hover:text-white" onClick={() => void chat.timeout(m.user_id, 10)} aria-label={`Stop ${m.username}'s chat for 10 minutes`}>timeout</button>}
          </>
        ) : null}
      </span>
    </li>
  )
}
