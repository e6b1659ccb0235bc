package io.forkpool.runtime.internal.exec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A future the pool hands out, whose dependent stages never run on a pool thread. A plain
 * {@link CompletableFuture} runs {@code thenApply(fn)} on the thread that completes it: here a
 * worker's io thread or the supervisor thread, where a callback that blocks ({@code other.join()})
 * would stall every task of that worker, or the whole pool. So, as {@code java.net.http.HttpClient}
 * does, every dependent stage registered while the future is pending runs on the
 * {@link #CALLBACKS} executor; one registered on a completed future runs at once in the caller,
 * as usual. A thread blocked in {@code join()} or {@code get()} is woken by the completing thread
 * directly: waiting costs no hand-off.
 *
 * <p>The pool's own completion handling does not go through these methods: it is called inline
 * by whoever completes ({@link #whenCompleteInline}).
 *
 * @param <T> the result type
 */
public class CallbackFuture<T> extends CompletableFuture<T> {

    /**
     * Where callbacks run: daemon threads made as needed and ended after a minute idle, shared by
     * every pool of the JVM; a callback that blocks holds only its own thread.
     */
    public static final ExecutorService CALLBACKS = callbackExecutor();

    /** Creates a pending future. */
    public CallbackFuture() {
    }

    private static ExecutorService callbackExecutor() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> JvmThreads.create(r, "forkpool-callback-" + threads.incrementAndGet()));
        return executor;
    }

    /**
     * Registers an action that runs on the completing thread, as {@link CompletableFuture#whenComplete}
     * does: for the pool's own bookkeeping, which must neither block nor wait for a hand-off.
     *
     * @param action called with the result or the failure
     */
    public final void whenCompleteInline(BiConsumer<? super T, ? super Throwable> action) {
        super.whenComplete(action);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CallbackFuture<>();
    }

    @Override
    public Executor defaultExecutor() {
        return CALLBACKS;
    }

    private boolean inline() {
        return isDone();
    }

    private boolean inline(CompletionStage<?> other) {
        return isDone() && other.toCompletableFuture().isDone();
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        return inline() ? super.thenApply(fn) : thenApplyAsync(fn, CALLBACKS);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
        return inline() ? super.thenAccept(action) : thenAcceptAsync(action, CALLBACKS);
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        return inline() ? super.thenRun(action) : thenRunAsync(action, CALLBACKS);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
            BiFunction<? super T, ? super U, ? extends V> fn) {
        return inline(other) ? super.thenCombine(other, fn) : thenCombineAsync(other, fn, CALLBACKS);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
            BiConsumer<? super T, ? super U> action) {
        return inline(other) ? super.thenAcceptBoth(other, action) : thenAcceptBothAsync(other, action, CALLBACKS);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return inline(other) ? super.runAfterBoth(other, action) : runAfterBothAsync(other, action, CALLBACKS);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return applyToEitherAsync(other, fn, CALLBACKS);
    }

    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return acceptEitherAsync(other, action, CALLBACKS);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return runAfterEitherAsync(other, action, CALLBACKS);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return inline() ? super.thenCompose(fn) : thenComposeAsync(fn, CALLBACKS);
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return inline() ? super.handle(fn) : handleAsync(fn, CALLBACKS);
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return inline() ? super.whenComplete(action) : whenCompleteAsync(action, CALLBACKS);
    }

    @Override
    public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return inline() ? super.exceptionally(fn) : exceptionallyAsync(fn, CALLBACKS);
    }

    @Override
    public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return inline() ? super.exceptionallyCompose(fn) : exceptionallyComposeAsync(fn, CALLBACKS);
    }
}
