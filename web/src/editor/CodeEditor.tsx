import Editor, { type OnMount } from '@monaco-editor/react'
import { useEffect, useRef } from 'react'
import { monaco } from './monaco'
import type { Diagnostic } from './diagnostics'
import type { Lang } from '../protocol/types'

export interface CodeEditorProps {
  lang: Lang
  /** Monaco's mode for lang (the server's language table). */
  mode: string
  value: string
  onChange: (code: string) => void
  /** Called with the editor's current text (see onMount). */
  onRun: (code: string) => void
  onSubmit: (code: string) => void
  readOnly?: boolean
  /** Called once the editor exists; the function it returns runs on unmount (the replay recorder). */
  onEditor?: (editor: Parameters<OnMount>[0]) => () => void
  /** The last compile's messages on their lines (diagnostics.ts), as editor markers. */
  diagnostics?: Diagnostic[]
}

function setMarkers(editor: Parameters<OnMount>[0] | null, diagnostics: Diagnostic[]): void {
  const model = editor?.getModel()
  if (!model) return
  const last = model.getLineCount()
  monaco.editor.setModelMarkers(model, 'compile', diagnostics.filter((d) => d.line <= last).map((d) => ({
    startLineNumber: d.line,
    startColumn: d.column,
    endLineNumber: d.line,
    endColumn: Math.max(d.column + 1, model.getLineMaxColumn(d.line)),
    message: d.message,
    severity: d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error,
    source: 'compiler',
  })))
}

// Monaco with the arena's shortcuts bound inside the editor (where a
// window-level listener would never see the keys).
const none: Diagnostic[] = []

export default function CodeEditor({ lang, mode, value, onChange, onRun, onSubmit, readOnly, onEditor, diagnostics = none }: CodeEditorProps) {
  const handlers = useRef({ onRun, onSubmit })
  handlers.current = { onRun, onSubmit }
  const mounted = useRef<Parameters<OnMount>[0] | null>(null)
  const detach = useRef<(() => void) | null>(null)
  useEffect(() => () => detach.current?.(), [])

  const onMount: OnMount = (editor) => {
    mounted.current = editor
    // The shortcut passes the model's text, not the parent's state: a key
    // pressed right after an edit is handled before React re-renders with
    // that edit, and would otherwise run or submit the previous code.
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => handlers.current.onRun(editor.getValue()))
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => handlers.current.onSubmit(editor.getValue()))
    editor.focus()
    if (onEditor) detach.current = onEditor(editor)
    setMarkers(editor, diagnosticsNow.current)
  }
  const diagnosticsNow = useRef(diagnostics)
  diagnosticsNow.current = diagnostics
  useEffect(() => setMarkers(mounted.current, diagnostics), [diagnostics, mode])

  useEffect(() => {
    mounted.current?.updateOptions({ readOnly: !!readOnly })
  }, [readOnly])

  return (
    <div className="h-full min-h-[320px]" data-testid="editor" data-lang={lang} data-markers={diagnostics.length}>
      <Editor
        height="100%"
        theme="segfault"
        language={mode}
        value={value}
        onChange={(v) => onChange(v ?? '')}
        onMount={onMount}
        loading={<p className="p-4 text-sm text-slate-500">Loading editor…</p>}
        options={{
          fontFamily: '"JetBrains Mono Variable", ui-monospace, monospace',
          fontSize: 14,
          fontLigatures: false, // `>=` must look like what the player typed
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          smoothScrolling: true,
          cursorSmoothCaretAnimation: 'on',
          tabSize: lang === 'go' ? 8 : 4,
          insertSpaces: lang !== 'go',
          automaticLayout: true,
          readOnly: !!readOnly,
          padding: { top: 12 },
          ariaLabel: 'Code editor. Control+Enter runs the samples, Control+Shift+Enter submits.',
        }}
      />
    </div>
  )
}
