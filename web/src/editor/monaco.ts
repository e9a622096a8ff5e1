// Monaco, bundled locally: the editor core, the editor features players use,
// and the Monarch grammars of the judge's languages. Workers are Vite ?worker
// bundles, and @monaco-editor/react is told to use this module instead of
// loading Monaco from a CDN.

import { loader } from '@monaco-editor/react'
import * as monaco from 'monaco-editor/editor/editor.api.js'
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker'

import 'monaco-codicon.css'
import 'monaco-editor/editor/browser/coreCommands.js'
import 'monaco-editor/editor/browser/widget/codeEditor/codeEditorWidget.js'
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js'
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard.js'
import 'monaco-editor/editor/contrib/comment/browser/comment.js'
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js'
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo.js'
import 'monaco-editor/editor/contrib/find/browser/findController.js'
import 'monaco-editor/editor/contrib/folding/browser/folding.js'
import 'monaco-editor/editor/contrib/indentation/browser/indentation.js'
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js'
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor.js'
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js'
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter.js'
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js'
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js'
import 'monaco-editor/editor/common/standaloneStrings.js'

// The grammars of every Monaco mode the judge's language table names
// (internal/judge/languages.yaml `monaco`, served by GET /api/v1/languages):
// each register is a few bytes; its grammar loads when first used.
import 'monaco-editor/languages/definitions/cpp/register.js' // c and cpp
import 'monaco-editor/languages/definitions/csharp/register.js'
import 'monaco-editor/languages/definitions/elixir/register.js'
import 'monaco-editor/languages/definitions/go/register.js'
import 'monaco-editor/languages/definitions/java/register.js'
import 'monaco-editor/languages/definitions/javascript/register.js'
import 'monaco-editor/languages/definitions/kotlin/register.js'
import 'monaco-editor/languages/definitions/lua/register.js'
import 'monaco-editor/languages/definitions/pascal/register.js'
import 'monaco-editor/languages/definitions/perl/register.js'
import 'monaco-editor/languages/definitions/php/register.js'
import 'monaco-editor/languages/definitions/python/register.js'
import 'monaco-editor/languages/definitions/r/register.js'
import 'monaco-editor/languages/definitions/ruby/register.js'
import 'monaco-editor/languages/definitions/rust/register.js'
import 'monaco-editor/languages/definitions/scala/register.js'
import 'monaco-editor/languages/definitions/scheme/register.js'
import 'monaco-editor/languages/definitions/shell/register.js'
import 'monaco-editor/languages/definitions/typescript/register.js'

;(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
}

monaco.editor.defineTheme('segfault', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '8291a8', fontStyle: 'italic' }, // AA contrast on the background and the current line
    { token: 'keyword', foreground: '22d3ee' },
    { token: 'string', foreground: 'a3e635' },
    { token: 'number', foreground: 'fbbf24' },
  ],
  colors: {
    'editor.background': '#0a0c13',
    'editor.lineHighlightBackground': '#131726',
    'editorLineNumber.foreground': '#7d8ca3', // AA contrast (axe-core in the e2e run)
    'editorLineNumber.dimmedForeground': '#7d8ca3',
    'editorLineNumber.activeForeground': '#94a3b8',
    'editorCursor.foreground': '#22d3ee',
    'editor.selectionBackground': '#22d3ee33',
  },
})

loader.config({ monaco })

export { monaco }
