declare module 'monaco-codicon.css'
