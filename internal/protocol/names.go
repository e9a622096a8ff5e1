package protocol

import "reflect"

// Op names a client → server message (its "type").
type Op string

// The client messages (docs/protocol.md section 3).
const (
	OpHello                  Op = "hello"
	OpResume                 Op = "resume"
	OpQueueJoin              Op = "queue.join"
	OpQueueLeave             Op = "queue.leave"
	OpMatchAccept            Op = "match.accept"
	OpMatchDecline           Op = "match.decline"
	OpRoomCreate             Op = "room.create"
	OpRoomJoin               Op = "room.join"
	OpRoomLeave              Op = "room.leave"
	OpRoomStart              Op = "room.start"
	OpCodeRun                Op = "code.run"
	OpCodeSubmit             Op = "code.submit"
	OpMatchResign            Op = "match.resign"
	OpTyping                 Op = "typing"
	OpEditorBatch            Op = "editor.batch"
	OpLeaderboardSubscribe   Op = "leaderboard.subscribe"
	OpLeaderboardUnsubscribe Op = "leaderboard.unsubscribe"
	OpSpectate               Op = "spectate"
	OpSpectateStop           Op = "spectate.stop"
	OpPing                   Op = "ping"
	// OpRematchOffer offers (or accepts) a rematch of a finished 1v1
	// match; OpRematchDecline declines it or withdraws the offer.
	OpRematchOffer   Op = "rematch.offer"
	OpRematchDecline Op = "rematch.decline"
)

// Event names a server → client message (its "type").
type Event string

// The server messages (docs/protocol.md section 4).
const (
	EventSnapshot           Event = "snapshot"
	EventLobbyState         Event = "lobby.state"
	EventQueueStatus        Event = "queue.status"
	EventMatchFound         Event = "match.found"
	EventMatchCancelled     Event = "match.cancelled"
	EventMatchState         Event = "match.state"
	EventRunResult          Event = "run.result"
	EventSubmissionProgress Event = "submission.progress"
	EventSubmissionResult   Event = "submission.result"
	EventOpponentProgress   Event = "opponent.progress"
	EventMatchFinished      Event = "match.finished"
	EventMatchCoach         Event = "match.coach"
	EventRoomState          Event = "room.state"
	EventLeaderboardUpdate  Event = "leaderboard.update"
	EventPong               Event = "pong"
	EventError              Event = "error"
	EventRematchState       Event = "rematch.state"
	// EventGhostProgress and EventGhostResult are a ghost race's (practice).
	EventGhostProgress Event = "ghost.progress"
	EventGhostResult   Event = "ghost.result"
	// EventEditorLive is a player's editor, live, for spectators.
	EventEditorLive Event = "editor.live"
)

// Mode is a kind of match.
type Mode string

const (
	ModeRanked   Mode = "ranked"
	ModeCasual   Mode = "casual"
	ModePrivate  Mode = "private" // a room's match; never queued for
	ModeFFA      Mode = "ffa"
	ModePractice Mode = "practice" // solo and unrated
)

// Queueable reports whether queue.join takes m.
func (m Mode) Queueable() bool {
	return m == ModeRanked || m == ModeCasual || m == ModeFFA || m == ModePractice
}

// Rule is how a match is scored (issue 21's modes), chosen with the room
// or the free-for-all queue; every other match is fastest.
type Rule string

const (
	RuleFastest  Rule = "fastest"  // first Accepted wins
	RuleShortest Rule = "shortest" // fewest non-whitespace characters among Accepted; each player's Accepted is final
	RuleReverse  Rule = "reverse"  // fastest, but the statement is hidden: only the samples are shown
	RuleBigO     Rule = "bigo"     // first Accepted whose measured time class is at or below the intended one (1v1 rooms)
)

// Rules lists every rule.
func Rules() []Rule { return []Rule{RuleFastest, RuleShortest, RuleReverse, RuleBigO} }

// Valid reports a known rule.
func (r Rule) Valid() bool {
	return r == RuleFastest || r == RuleShortest || r == RuleReverse || r == RuleBigO
}

// Measure is the coach's measured time class of an Accepted solution in a
// bigo match against the problem's intended class.
type Measure string

const (
	MeasureMeets        Measure = "meets"        // at or below the intended class
	MeasureSlower       Measure = "slower"       // above it: Accepted, but no win
	MeasureInconclusive Measure = "inconclusive" // not decided (or not in time): counts as Accepted
)

// Phase is a match's state as players see it (match.state "state").
type Phase string

const (
	PhaseFound     Phase = "found" // being accepted
	PhaseCountdown Phase = "countdown"
	PhaseRunning   Phase = "running"
	PhaseFinished  Phase = "finished"
)

// Outcome is how a match ended (match.finished "outcome").
type Outcome string

const (
	OutcomeWon      Outcome = "won"      // someone got AC
	OutcomeTimeout  Outcome = "timeout"  // the deadline: most tests passed wins
	OutcomeDraw     Outcome = "draw"     // nobody ahead at the deadline
	OutcomeForfeit  Outcome = "forfeit"  // a disconnect outlasted the grace
	OutcomeResigned Outcome = "resigned" // match.resign
	// OutcomeAborted: the last opponent resigned or forfeited before the
	// match ran; cancelled, no winner, nothing rated.
	OutcomeAborted Outcome = "aborted"
	// OutcomeShortest: a shortest match, won by the fewest characters
	// among the Accepted solutions.
	OutcomeShortest Outcome = "shortest"
)

// Board is a leaderboard.
type Board string

const (
	BoardRating   Board = "rating"
	BoardWeeklyXP Board = "weekly_xp"
)

// Verdict is a judge verdict as the protocol shows it.
type Verdict string

const (
	VerdictAC      Verdict = "AC"
	VerdictWA      Verdict = "WA"
	VerdictTLE     Verdict = "TLE"
	VerdictMLE     Verdict = "MLE"
	VerdictRE      Verdict = "RE"
	VerdictCE      Verdict = "CE"
	VerdictOLE     Verdict = "OLE"
	VerdictJE      Verdict = "JE" // the problem's checker failed
	VerdictIE      Verdict = "IE" // the judge failed: not the player's fault
	VerdictOK      Verdict = "OK" // a custom-input run that ended normally
	VerdictPending Verdict = "pending"
)

// JudgePhase is what a submission is doing (submission.progress "phase").
type JudgePhase string

const (
	JudgeCompiling JudgePhase = "compiling"
	JudgeRunning   JudgePhase = "running"
)

// Enum is one enumeration for the generated references.
type Enum struct {
	Type   reflect.Type
	Values []string
	Doc    string
}

// Enums lists every enumeration of the protocol.
func Enums() []Enum {
	return []Enum{
		{reflect.TypeFor[Op](), strs(OpHello, OpResume, OpQueueJoin, OpQueueLeave, OpMatchAccept, OpMatchDecline, OpRoomCreate,
			OpRoomJoin, OpRoomLeave, OpRoomStart, OpCodeRun, OpCodeSubmit, OpMatchResign, OpTyping, OpEditorBatch,
			OpLeaderboardSubscribe, OpLeaderboardUnsubscribe, OpSpectate, OpSpectateStop, OpPing, OpRematchOffer, OpRematchDecline,
			OpChatJoin, OpChatLeave, OpChatSend, OpChatMute, OpChatReport, OpChatDelete, OpChatTimeout, OpChatReports), "a client message type"},
		{reflect.TypeFor[Event](), strs(EventSnapshot, EventLobbyState, EventQueueStatus, EventMatchFound, EventMatchCancelled, EventMatchState, EventRunResult,
			EventSubmissionProgress, EventSubmissionResult, EventOpponentProgress, EventMatchFinished, EventMatchCoach,
			EventRoomState, EventLeaderboardUpdate, EventPong, EventError, EventRematchState,
			EventChatHistory, EventChatMessage, EventChatDeleted, EventChatMutes, EventChatReported, EventChatTimedOut, EventChatReports,
			EventGhostProgress, EventGhostResult, EventEditorLive, EventTournamentUpdate), "a server message type"},
		{reflect.TypeFor[Mode](), strs(ModeRanked, ModeCasual, ModePrivate, ModeFFA, ModePractice), "a kind of match"},
		{reflect.TypeFor[Rule](), strs(RuleFastest, RuleShortest, RuleReverse, RuleBigO), "how a match is scored"},
		{reflect.TypeFor[Measure](), strs(MeasureMeets, MeasureSlower, MeasureInconclusive), "a bigo solution's measured time class against the intended one"},
		{reflect.TypeFor[Phase](), strs(PhaseFound, PhaseCountdown, PhaseRunning, PhaseFinished), "a match's state"},
		{reflect.TypeFor[Outcome](), strs(OutcomeWon, OutcomeTimeout, OutcomeDraw, OutcomeForfeit, OutcomeResigned, OutcomeAborted, OutcomeShortest), "how a match ended"},
		{reflect.TypeFor[Board](), strs(BoardRating, BoardWeeklyXP), "a leaderboard"},
		{reflect.TypeFor[Verdict](), strs(VerdictAC, VerdictWA, VerdictTLE, VerdictMLE, VerdictRE, VerdictCE, VerdictOLE, VerdictJE,
			VerdictIE, VerdictOK, VerdictPending), "a judge verdict"},
		{reflect.TypeFor[JudgePhase](), strs(JudgeCompiling, JudgeRunning), "what a submission being judged is doing"},
		{reflect.TypeFor[EditorKind](), strs(EditorOpen, EditorEdit, EditorPaste, EditorFocus, EditorBlur, EditorLang, EditorRun), "what an editor event records"},
		{reflect.TypeFor[CancelReason](), strs(CancelDeclined, CancelAcceptTimeout, CancelStartFailed), "why a found match will not start"},
		{reflect.TypeFor[RematchStatus](), strs(RematchOpen, RematchStarted, RematchDeclined, RematchLeft, RematchExpired, RematchFailed), "where a rematch offer is"},
		{reflect.TypeFor[ChatKind](), strs(ChatLobby, ChatMatch, ChatSpectators, ChatTournament), "the kind of a chat channel"},
	}
}

func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
