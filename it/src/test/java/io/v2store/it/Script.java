package io.v2store.it;

import java.util.ArrayList;
import java.util.List;

/**
 * A named sequence of requests run identically against each server. Targets and bodies may
 * contain {@code {{N}}}: the etcd index N relative to the server's start, replaced by the
 * server's absolute index before sending (so {@code prevIndex} and {@code waitIndex} name the
 * same event on both servers).
 */
final class Script {

    sealed interface Step permits Send, Repeat, OpenWatch, FinishWatch, AwaitStatus {
    }

    /** One request, one observation. */
    record Send(RawRequest request) implements Step {
    }

    /** The same request {@code times} times (bulk writes); only the last response is observed. */
    record Repeat(int times, RawRequest request) implements Step {
    }

    /** Starts a watch and observes its headers; the event is read by a later {@link FinishWatch}. */
    record OpenWatch(String label, RawRequest request) implements Step {
    }

    record FinishWatch(String label) implements Step {
    }

    /** Polls (bounded) until the request answers {@code status}, then observes that response. */
    record AwaitStatus(RawRequest request, int status) implements Step {
    }

    private final String name;
    private final List<Step> steps = new ArrayList<>();

    Script(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    Script send(RawRequest request) {
        steps.add(new Send(request));
        return this;
    }

    Script get(String target) {
        return send(RawRequest.of("GET", target));
    }

    Script head(String target) {
        return send(RawRequest.of("HEAD", target));
    }

    Script delete(String target) {
        return send(RawRequest.of("DELETE", target));
    }

    Script put(String target) {
        return send(RawRequest.of("PUT", target));
    }

    Script put(String target, String form) {
        return send(RawRequest.of("PUT", target).form(form));
    }

    Script post(String target, String form) {
        return send(RawRequest.of("POST", target).form(form));
    }

    Script repeat(int times, RawRequest request) {
        steps.add(new Repeat(times, request));
        return this;
    }

    Script openWatch(String label, String target) {
        steps.add(new OpenWatch(label, RawRequest.of("GET", target)));
        return this;
    }

    Script finishWatch(String label) {
        steps.add(new FinishWatch(label));
        return this;
    }

    Script awaitStatus(String target, int status) {
        steps.add(new AwaitStatus(RawRequest.of("GET", target), status));
        return this;
    }
}
