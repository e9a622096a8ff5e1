// Package problem reads, checks, imports and exports problem packages in the
// Kattis problem package format, the open format of Kattis, DOMjudge and
// problemtools, so a package written for those systems works here unchanged.
//
// # Versions
//
// Both the legacy layout (no problem_format_version) and
// problem_format_version 2023-07-draft are read. Differences handled:
//
//   - statement/ (draft) or problem_statement/ (legacy); both accepted.
//   - output_validator/ (draft: one program) or output_validators/ (legacy:
//     exactly one program supported).
//   - type: legacy pass-fail|scoring (+ validation: custom interactive);
//     draft a type or a list (pass-fail, scoring, interactive; multi-pass and
//     submit-answer are refused as unsupported).
//   - limits: legacy time_multiplier/time_safety_margin, draft
//     time_multipliers{ac_to_time_limit,time_limit_to_tle}; limits.time_limit
//     is accepted in both (DOMjudge reads it in legacy packages too).
//   - credits (draft) / author (legacy "A, B and C").
//   - validator_flags (legacy) / output_validator_args (draft testdata.yaml).
//
// Unknown keys are warnings (tools add keys over time); wrong types are
// errors naming the key: `problem.yaml: limits.memory: want integer, got
// "lots"`. Every error of a package is reported at once in a *LoadError,
// each with a stable code (Code* constants).
//
// arena.yaml next to problem.yaml is this platform's extension: difficulty
// (800–3000), tags, and the intended complexity {time, space}.
//
// # Statements
//
// Markdown (problem.<lang>.md) is kept as is. LaTeX (problem.<lang>.tex) is
// converted to Markdown: sections, paragraphs, itemize/enumerate/description,
// \textbf/\emph/\texttt, tables, verbatim, \url/\href, and problemtools'
// \problemname (becomes the title), \illustration and \sampletable (dropped:
// samples come from data/sample). Math ($..$, $$..$$, \[..\], align,
// equation) is copied verbatim for KaTeX. \includegraphics{x} becomes an
// image link to x, x.png, x.jpg... found next to the statement. Images in the
// statement directory are Assets, served by OpenAsset and nothing else.
//
// # Test data
//
// data/sample and data/secret, nested groups, natural order (2 before 10).
// testdata.yaml keys are inherited key by key from the closest ancestor, as
// in problemtools: on_reject, grader_flags (sum/min/max/avg, first_error,
// worst_error, ignore_sample, accept_if_any_accepted), accept_score,
// reject_score, range, input/output_validator_flags (legacy) and the draft's
// scoring{score,aggregation}, input/output_validator_args. Group.Grade
// computes scores with the default grader's semantics. Samples score 0
// unless a testdata.yaml says otherwise. Sample .interaction files become
// transcripts ("<" read by the submission, ">" written by it). Symlinks are
// followed only when they stay inside the package.
//
// # Programs
//
// input_validators/ (or input_format_validators/), output validators and
// submissions/ are single files or directories; the language comes from the
// extension (.py .c .cpp .cc .go .js .java .rs). Local headers (.h) in a
// validator directory are shared by its programs. checktestdata (.ctd) and
// VIVA (.viva) validators, build/run scripts and custom graders are refused
// with CodeUnsupported. Submissions in other languages are skipped with a
// warning. Folders: accepted, wrong_answer, time_limit_exceeded,
// run_time_error, memory_limit_exceeded (MLE or RE), output_limit_exceeded,
// slow_accepted, partially_accepted, rejected.
//
// # Time limit
//
// Explicit when given: limits.time_limit, else a .timelimit file. Otherwise
// verification derives it (DeriveTimeLimit): slowest accepted submission ×
// time multiplier (default 2), rounded UP to whole seconds, at least 1 s.
// time_limit_exceeded submissions must still time out at limit × safety
// margin (default 2); slow_accepted ones must pass there. Per-language
// multipliers (LanguageMultipliers, "python=3,java=1.5", the
// time-multipliers setting) scale the limit per language and normalise
// measured times before taking the slowest.
//
// A derived limit is decided once, at import with verification, and
// written into the stored version as .timelimit (what problemtools and
// DOMjudge do): the content hash covers it, and every reader of the version
// (the judge workers, which get only the zip; `segfault judge`; export)
// plays with the limit verification chose. A package with no limit at all
// (imported without verification) is not judged: the conversion refuses it
// rather than guess. Per-language multipliers are applied when the
// submission's language is known (verify.ForLanguage).
//
// # Validator arguments and generators
//
// Verification passes input_validator_flags / input_validator_args to an
// input validator as its command-line arguments (judge.Submission.Args:
// real argv in every language, never through a shell). Validators that
// only fit the judge as output validators (over 64 KiB, several files)
// cannot get arguments: verification says so. Generators run the same way,
// as generators/gen <n> <seed> (judge.Test.Args) for a few sizes (from
// generators/tests.txt when present, else 1, 10, 100); every output must
// pass the input validators.
//
// # Scores
//
// Scoring problems are graded with Group.Grade (verify.Score) from the
// judge's per-test verdicts. When the output validator accepts a case and
// writes feedback_dir/score.txt, the judge returns that number
// (judge.TestResult.Score) and it is the case's score: for legacy packages
// with validation: custom score, and for 2023-07-draft packages. Otherwise
// an accepted case earns its group's accept_score. A score.txt that is not
// one decimal number makes the case an internal error naming the problem.
//
// # Import and export
//
// Import takes a directory or a zip. Zips are checked before anything is
// written (ExtractZip: no .., absolute paths, backslashes, symlinks, device
// files, duplicate names, too many entries, and per-file and total size caps
// counted on the bytes actually decompressed), unpacked into a temporary
// directory and renamed into place. Packages are stored as immutable versions
// in a Catalog (Library on a directory), deduplicated by content hash, so a
// re-import keeps older versions for the matches played on them. Export
// writes a version (or any package directory) as a directory or a
// reproducible zip.
//
// The judge-facing half (conversion to judge.Problem, used by verification,
// the judge workers and `segfault judge` alike, and verification itself) is
// in the verify sub-package, so this package has no dependency on the
// sandbox.
package problem
