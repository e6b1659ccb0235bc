package io.forkpool.runtime.internal.ledger;

import java.util.Arrays;

/**
 * A batch's inputs, encoded: one JSON array holding them in order, and where each starts. A run
 * of inputs {@code [from, to)} is then one contiguous range of bytes, the inputs with the commas
 * between them, and goes into a BATCH frame between brackets with one copy; one input is a slice
 * and goes into a TASK frame as it is. Immutable once built, shared by every span of its batch.
 *
 * <p>A batch whose inputs take more than {@link #MAX_ARRAY_CONTENT} bytes in all is held as
 * several arrays, each of a run of its inputs; a range must lie in one of them
 * ({@link #runEnd}). Most batches are one array.
 */
public final class EncodedInputs {

    /** The most bytes of inputs, commas included, one array holds, so that an array always fits a Java array. */
    static final int MAX_ARRAY_CONTENT = 1 << 30;

    /** A JSON array of some of the inputs, in order, and where each starts. */
    private record Run(int first, byte[] json, int[] starts) {
        int count() {
            return starts.length - 1;
        }
    }

    private final int count;
    /** The arrays, in input order; never empty. */
    private final Run[] runs;

    private EncodedInputs(int count, Run[] runs) {
        this.count = count;
        this.runs = runs;
    }

    /**
     * Takes a JSON array whose element boundaries are yet to be found ({@link JsonArrayScan}).
     *
     * @param json holds the array from index 0, and possibly unused bytes after it; taken as it is, not copied
     * @param length the array's length in bytes
     * @param count how many elements it must hold
     * @return its inputs, or {@code null} if the bytes are not such an array of {@code count} elements
     */
    static EncodedInputs scanned(byte[] json, int length, int count) {
        int[] starts = JsonArrayScan.elementStarts(json, length, count);
        return starts == null ? null : new EncodedInputs(count, new Run[] {new Run(0, json, starts)});
    }

    /**
     * Joins documents encoded one by one into arrays of them.
     *
     * @param documents one encoded input each, in order; not modified
     * @return the inputs
     */
    public static EncodedInputs of(byte[][] documents) {
        return of(documents, MAX_ARRAY_CONTENT);
    }

    /**
     * As {@link #of(byte[][])}, with each array holding at most {@code maxArrayContent} bytes
     * unless one input is longer.
     *
     * @param documents one encoded input each, in order; not modified
     * @param maxArrayContent the most bytes of inputs one array holds, unless one input is longer
     * @return the inputs
     */
    public static EncodedInputs of(byte[][] documents, int maxArrayContent) {
        if (documents.length == 0) {
            return new EncodedInputs(0, new Run[] {new Run(0, new byte[] {'[', ']'}, new int[] {2})});
        }
        Run[] runs = new Run[1];
        int runCount = 0;
        int first = 0;
        while (first < documents.length) {
            long content = documents[first].length;
            int end = first + 1;
            while (end < documents.length && content + 1 + documents[end].length <= maxArrayContent) {
                content += 1 + documents[end].length;
                end++;
            }
            if (runCount == runs.length) {
                runs = Arrays.copyOf(runs, runCount * 2);
            }
            runs[runCount++] = join(documents, first, end, (int) content);
            first = end;
        }
        return new EncodedInputs(documents.length, Arrays.copyOf(runs, runCount));
    }

    private static Run join(byte[][] documents, int from, int to, int content) {
        byte[] json = new byte[content + 2];
        int[] starts = new int[to - from + 1];
        json[0] = '[';
        int at = 1;
        for (int i = from; i < to; i++) {
            starts[i - from] = at;
            System.arraycopy(documents[i], 0, json, at, documents[i].length);
            at += documents[i].length;
            json[at++] = (byte) (i == to - 1 ? ']' : ',');
        }
        starts[to - from] = at;
        return new Run(from, json, starts);
    }

    /** @return how many inputs there are */
    public int count() {
        return count;
    }

    /** @return the length in bytes of all the inputs together, the commas between them included: no input is longer */
    public long totalLength() {
        long total = 0;
        for (Run run : runs) {
            if (run.count() > 0) {
                total += run.starts[run.count()] - 1 - run.starts[0];
            }
        }
        return total;
    }

    /**
     * @param i an input's index
     * @return the length of its encoding in bytes
     */
    public int length(int i) {
        Run run = run(i);
        int k = i - run.first;
        return run.starts[k + 1] - 1 - run.starts[k];
    }

    /**
     * @param i an input's index
     * @return the array that holds its encoding and its neighbours'; shared, never to be written
     */
    public byte[] array(int i) {
        return run(i).json;
    }

    /**
     * @param i an input's index
     * @return where its encoding starts in {@link #array}
     */
    public int offset(int i) {
        Run run = run(i);
        return run.starts[i - run.first];
    }

    /**
     * @param from the first input of a range
     * @param to one past its last, at most {@link #runEnd runEnd(from)}
     * @return the length in bytes of the inputs {@code [from, to)} with the commas between them,
     *     which start at {@link #offset offset(from)} in {@link #array array(from)}
     */
    public int rangeLength(int from, int to) {
        Run run = run(from);
        if (to <= from || to > run.first + run.count()) {
            throw new IndexOutOfBoundsException("inputs [" + from + ", " + to + ") are not a range of one array");
        }
        return run.starts[to - run.first] - 1 - run.starts[from - run.first];
    }

    /**
     * @param from an input's index
     * @return one past the last input held in the same array as it: a range from it ends there at the latest
     */
    public int runEnd(int from) {
        Run run = run(from);
        return run.first + run.count();
    }

    /**
     * @param i an input's index
     * @return a copy of its encoding
     */
    public byte[] slice(int i) {
        int offset = offset(i);
        return Arrays.copyOfRange(array(i), offset, offset + length(i));
    }

    private Run run(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("input " + i + " of " + count);
        }
        if (runs.length == 1) {
            return runs[0];
        }
        int low = 0;
        int high = runs.length - 1;
        while (low < high) { // the last run that starts at or before i
            int mid = (low + high + 1) >>> 1;
            if (runs[mid].first <= i) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return runs[low];
    }

    @Override
    public String toString() {
        return count + " encoded inputs in " + runs.length + (runs.length == 1 ? " array" : " arrays");
    }
}
