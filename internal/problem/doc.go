// Package problem reads, checks, imports and exports problem packages in the
// Kattis problem package format, the open format of Kattis, DOMjudge and
// problemtools, so a package written for those systems works here unchanged.
//
// # Versions
//
// The legacy layout (no problem_format_version, or legacy / legacy-icpc),
// problem_format_version 2023-07-draft (also written 2023-07) and 2025-09
// are read. Differences handled:
//
//   - statement/ (2023-07-draft, 2025-09) or problem_statement/ (legacy);
//     both accepted.
//   - output_validator/ (one program) or output_validators/ (legacy:
//     exactly one program supported).
//   - type: legacy pass-fail|scoring (+ validation: custom interactive);
//     later versions a type or a list (pass-fail, scoring, interactive;
//     multi-pass and submit-answer are refused as unsupported).
//   - limits: legacy time_multiplier/time_safety_margin, later versions
//     time_multipliers{ac_to_time_limit,time_limit_to_tle}; limits.time_limit
//     is accepted in all (DOMjudge reads it in legacy packages too).
//   - credits (people as "Name <mail>" or {name, email, orcid, kattis};
//     translators by language) / author (legacy "A, B and C"); source as a
//     string, a {name, url} map or a list of them.
//   - validator_flags (legacy) / output_validator_args (testdata.yaml or,
//     in 2025-09, test_group.yaml and a case's own .yaml).
//   - 2025-09 constants: {{name}} is replaced in Markdown statements and in
//     the sources of validators, submissions and included files.
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
// data/secret is required; data/sample is optional (a package without
// one loads with a warning: players see no example). Nested groups,
// natural order (2 before 10). testdata.yaml keys are inherited key by key
// from the closest ancestor, as in problemtools: on_reject, grader_flags
// (sum/min/max/avg, first_error, worst_error, ignore_sample,
// accept_if_any_accepted), accept_score, reject_score, range,
// input/output_validator_flags (legacy) and the draft's
// scoring{score,aggregation}, input/output_validator_args (input arguments
// may be a map by validator name). Group.Grade computes scores with the
// default grader's semantics. Samples score 0 unless a testdata.yaml says
// otherwise.
//
// 2025-09 packages configure groups with test_group.yaml instead:
// max_score, score_aggregation (pass-fail, sum, min), require_pass,
// args (the submission's command-line arguments), input_validator_args,
// output_validator_args; a test case may have its own .yaml (args,
// validator arguments, hint, description). Groups inherit arguments, not
// scoring. Package.Grade applies these rules (see Scores).
// data/invalid_input holds inputs every one of which some input validator
// must reject (verification checks it); invalid_output and valid_output
// are read but not checked (a warning).
//
// Interactive samples: a .interaction file ("<" lines are read by the
// submission, ">" lines written by it) becomes the sample's transcript,
// shown instead of the input and answer. A sample given only as a
// .interaction file (no .in) is shown and never run (Group.Transcripts).
// In 2025-09 packages .in.statement, .ans.statement and .out replace what
// the statement shows. Symlinks are followed only when they stay inside
// the package: groups may share cases by symlink, each validating them
// with its own arguments. A .files directory (input files for the
// submission's working directory) is refused as unsupported.
//
// # Programs
//
// input_validators/ (or input_format_validators/), output validators,
// submissions/ and generators are single files or directories. The
// language comes from the judge's language table (internal/judge,
// LanguageOf): no list of extensions is kept here. A directory program
// holds flat files of one language (C next to C++ compiles as C++); its
// entry file follows Kattis's rules as the table gives them (the only
// source, else the language's default entry main.py / Main.java / ...,
// else main.*; C, C++ and Go compile every source), and a Python
// directory with __main__.py runs that. Validators fall back to a file
// named validate, validator, checker or interactor. Local headers (.h) in
// a validator directory are shared by its programs.
//
// checktestdata (.ctd) input validators are parsed at load (a syntax
// error is a load error) and run in process by the checktestdata
// sub-package; input_validator_args give its options (--whitespace-ok).
// VIVA (.viva) validators are skipped with a warning. Build/run scripts
// and custom graders are refused with CodeUnsupported.
//
// A submission that cannot be judged here is skipped with a warning, as
// problemtools skips a language it lacks: a language the table does not
// know, a directory with no recognised entry file, sources in several
// languages, files in subdirectories. Verification also skips, with a
// warning, a submission whose language is in the table but not installed
// on this machine. include/<language>/ (a Kattis language code or a judge
// id) or else include/default/ is added to every submission of that
// language before it is compiled, replacing files of the same name; an
// included file named as the language's entry (main.py) becomes the entry.
//
// Folders: accepted, wrong_answer, time_limit_exceeded, run_time_error,
// memory_limit_exceeded (MLE or RE), output_limit_exceeded, slow_accepted,
// partially_accepted, rejected: the final verdict must be the folder's.
// In 2025-09 packages the folders are accepted, rejected, wrong_answer,
// time_limit_exceeded, run_time_error and brute_force, with the format's
// per-case rules (Expectation.Rules: permitted and required verdicts among
// AC, WA, TLE, RTE, checked on every case), and submissions.yaml adds
// rules by glob on submissions and on test cases or groups (permitted,
// required, score, use_for_time_limit), a language and an entrypoint.
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
// Scoring problems are graded with Package.Grade (verify.Score) from the
// judge's per-test verdicts. When the output validator accepts a case and
// writes feedback_dir/score.txt, the judge returns that number
// (judge.TestResult.Score) and it is the case's score: for legacy packages
// with validation: custom score, and for 2023-07-draft and 2025-09
// packages. Otherwise an accepted case earns its group's accept_score
// (legacy, draft) or its share of max_score (2025-09: all of it under min
// aggregation, max_score / N under sum; a pass-fail group scores max_score
// when every case is accepted; data/secret sums or takes the minimum of
// its groups; a group whose require_pass groups were not all accepted
// scores 0). A score.txt that is not one decimal number makes the case an
// internal error naming the problem.
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
// in the verify sub-package. This package reads only the judge's language
// table.
package problem
