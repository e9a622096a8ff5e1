// The judge's languages as the server offers them (GET /api/v1/languages):
// name, version, Monaco mode and starter code. Loaded once per page; every
// screen that names a language or needs a template reads it from here.

import { useEffect } from 'react'
import type { Lang, Language } from '../protocol/types'
import { api } from './api'
import { createStore, useStore } from './store'

export interface LanguagesState {
  list: Language[] | null
  error: string | null
}

export const languagesStore = createStore<LanguagesState>({ list: null, error: null })
let loading: Promise<void> | null = null

/** Fetch the table once (again after a failure). */
export function loadLanguages(): Promise<void> {
  if (languagesStore.get().list) return Promise.resolve()
  if (!loading) {
    loading = api.languages().then(
      (r) => languagesStore.set({ list: r.languages, error: null }),
      (e: unknown) => {
        loading = null
        languagesStore.set({ list: null, error: e instanceof Error ? e.message : String(e) })
      },
    )
  }
  return loading
}

/** The languages (null while loading), loading them on first use. */
export function useLanguages(): LanguagesState {
  const s = useStore(languagesStore)
  useEffect(() => {
    void loadLanguages()
  }, [])
  return s
}

export function languageOf(list: Language[] | null, id: Lang): Language | undefined {
  return list?.find((l) => l.id === id)
}

/** The display name of a language: the server's name, else its id. */
export function languageName(list: Language[] | null, id: string): string {
  return list?.find((l) => l.id === id)?.name ?? id
}

/** Is code still a starter template (of any language), or blank? */
export function isPristine(list: Language[] | null, code: string): boolean {
  return code.trim() === '' || !!list?.some((l) => l.template === code)
}

/** The languages a problem allows, in the server's order; all of them when it names none. */
export function offered(list: Language[] | null, allowed: readonly Lang[] | undefined): Language[] {
  if (!list) return []
  if (!allowed?.length) return list
  return list.filter((l) => allowed.includes(l.id))
}

export const _test = { reset: () => { loading = null; languagesStore.set({ list: null, error: null }) } }
