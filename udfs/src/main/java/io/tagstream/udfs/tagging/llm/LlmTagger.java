package io.tagstream.udfs.tagging.llm;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.tagstream.schemas.TagSource;
import io.tagstream.udfs.tagging.TagAssignment;
import io.tagstream.udfs.tagging.Tagger;
import io.tagstream.udfs.tagging.TaggingRequest;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Tags with a chat model. Per content: personal data redacted, the versioned prompt rendered, at
 * most {@code maxAttempts} calls with exponential backoff while the circuit breaker is closed and
 * the item's budget allows; the answer validated ({@link LlmAnswer}); proposals outside the
 * taxonomy mapped by id, label or alias, or by the {@code mapper} (embedding similarity), or
 * recorded as {@link TagCandidate}s. Every call is recorded in {@code llm_usage}, and calls,
 * calls refused by the open breaker and fallbacks are told to the {@link LlmListener} (metrics).
 *
 * <p>On any failure the {@code fallback} tagger's tags are used, with the failure in their model
 * ({@code "<fallback model> (fallback from <llm model>: <why>)"}) and reason.
 */
public final class LlmTagger implements Tagger {
    public static final String PURPOSE = "tagging";

    /** Blocks the calling thread between attempts; tests pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final Taxonomy taxonomy;
    private final LlmSettings settings;
    private final ChatModel chat;
    private final PromptTemplate prompt;
    private final Tagger fallback;
    private final Function<String, Optional<TaxonomyTag>> mapper;
    private final LlmRecorder recorder;
    private final LlmListener listener;
    private final CircuitBreaker breaker;
    private final Sleeper sleeper;
    private final LongSupplier clockMillis;

    public LlmTagger(Taxonomy taxonomy, LlmSettings settings, ChatModel chat, Tagger fallback,
            Function<String, Optional<TaxonomyTag>> mapper, LlmRecorder recorder, LlmListener listener, Sleeper sleeper,
            LongSupplier clockMillis) {
        this.taxonomy = taxonomy;
        this.settings = settings;
        this.chat = chat;
        this.prompt = PromptTemplate.load(settings.promptVersion());
        this.fallback = fallback;
        this.mapper = mapper;
        this.recorder = recorder;
        this.listener = listener;
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerOpenMillis(), clockMillis);
        this.sleeper = sleeper;
        this.clockMillis = clockMillis;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public List<TagAssignment> tag(TaggingRequest request) {
        String text = PiiRedaction.redact(request.text());
        String message = prompt.render(taxonomy, text, settings.topK());
        ItemBudget budget = new ItemBudget(settings.maxTokensPerItem(), settings.maxUsdPerItem(), settings.pricing());
        long estimatedInput = LlmPricing.estimateTokens(message);
        String why = "no attempt made";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (!breaker.allowsCall()) {
                listener.refusedByOpenCircuit();
                why = "circuit breaker open";
                break;
            }
            if (!budget.allows(estimatedInput, settings.maxOutputTokens())) {
                why = "item budget exhausted";
                break;
            }
            if (attempt > 1 && !backoff(attempt)) {
                why = "interrupted";
                break;
            }
            long start = clockMillis.getAsLong();
            String outcome;
            String error;
            long in = 0;
            long out = 0;
            try {
                ChatResponse response = chat.chat(ChatRequest.builder().messages(UserMessage.from(message)).build());
                TokenUsage usage = response.tokenUsage();
                in = usage == null || usage.inputTokenCount() == null ? estimatedInput : usage.inputTokenCount();
                out = usage == null || usage.outputTokenCount() == null
                        ? LlmPricing.estimateTokens(response.aiMessage().text()) : usage.outputTokenCount();
                budget.spend(in, out);
                try {
                    List<TagAssignment> tags = assignments(request, LlmAnswer.parse(response.aiMessage().text()));
                    breaker.success();
                    record(request, attempt, in, out, start, LlmUsage.OK, null);
                    return tags;
                } catch (LlmAnswer.InvalidAnswerException e) {
                    outcome = "invalid_output";
                    error = e.getMessage();
                }
            } catch (RateLimitException e) {
                outcome = "rate_limited";
                error = message(e);
            } catch (InternalServerException e) {
                outcome = "server_error";
                error = message(e);
            } catch (TimeoutException e) {
                outcome = "timeout";
                error = message(e);
            } catch (RuntimeException e) {
                outcome = causedBy(e, java.net.http.HttpTimeoutException.class, java.net.SocketTimeoutException.class,
                        java.util.concurrent.TimeoutException.class, TimeoutException.class) ? "timeout"
                        : causedBy(e, java.net.ConnectException.class) ? "unreachable" : "error";
                error = message(e);
            }
            breaker.failure();
            record(request, attempt, in, out, start, outcome, error);
            why = outcome + " after " + attempt + (attempt == 1 ? " attempt" : " attempts");
        }
        return fellBack(request, why);
    }

    private boolean backoff(int attempt) {
        try {
            sleeper.sleep(settings.backoffMillis() << (attempt - 2));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @SafeVarargs
    private static boolean causedBy(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 500 ? m.substring(0, 500) : m;
    }

    private void record(TaggingRequest request, int attempt, long in, long out, long start, String outcome, String error) {
        LlmUsage call = new LlmUsage(request.tenant(), request.contentId(), settings.model(), PURPOSE, prompt.version(),
                attempt, in, out, settings.pricing().costUsd(in, out), clockMillis.getAsLong() - start, outcome, error);
        recorder.usage(call);
        listener.called(call);
    }

    private List<TagAssignment> assignments(TaggingRequest request, LlmAnswer answer) {
        Map<String, TagAssignment> tags = new LinkedHashMap<>();
        for (LlmAnswer.Proposal proposal : answer.tags()) {
            Optional<TaxonomyTag> known = taxonomy.resolve(proposal.tag());
            String how = "";
            if (known.isEmpty()) {
                known = mapper.apply(proposal.tag());
                how = known.map(t -> " (proposed as \"" + proposal.tag() + "\", mapped by embedding similarity)").orElse("");
            }
            if (known.isEmpty()) {
                recorder.candidate(new TagCandidate(request.tenant(), proposal.tag(), "", request.contentId(),
                        settings.model(), prompt.version(), proposal.confidence(), proposal.reason()));
                continue;
            }
            TaxonomyTag tag = known.get();
            TagAssignment assignment = new TagAssignment(tag.id(), tag.dimension(), proposal.confidence(), TagSource.LLM,
                    settings.model(), prompt.version(), proposal.reason() + how);
            TagAssignment before = tags.get(tag.id());
            if (before == null || before.confidence() < assignment.confidence()) {
                tags.put(tag.id(), assignment);
            }
        }
        return new ArrayList<>(tags.values());
    }

    private List<TagAssignment> fellBack(TaggingRequest request, String why) {
        listener.fellBack(why);
        List<TagAssignment> tags = new ArrayList<>();
        for (TagAssignment tag : fallback.tag(request)) {
            tags.add(new TagAssignment(tag.tag(), tag.dimension(), tag.confidence(), tag.source(),
                    tag.model() + " (fallback from " + settings.model() + ": " + why + ")", null,
                    "LLM unavailable (" + why + "); " + tag.reason()));
        }
        return tags;
    }

    @Override
    public void close() throws Exception {
        try {
            fallback.close();
        } finally {
            recorder.close();
        }
    }
}
