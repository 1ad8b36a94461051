package dev.parquetingest.common;

/**
 * One record that cannot become a row, with where it is and why. With {@link
 * dev.parquetingest.BadRecordPolicy#FAIL} it ends the run; with {@link
 * dev.parquetingest.BadRecordPolicy#REJECT} its raw text and the reason go to the rejects output
 * and the run goes on.
 *
 * <p>The message reads like {@code Cannot parse column 'rating' as int32: "five" (reviews.csv, line
 * 1812)}.
 */
public final class BadRecordException extends BadInputException {
  private final String problem;
  private final String source;
  private final long line;
  private final String column;
  private final String rawRecord;

  /**
   * @param problem what is wrong, e.g. {@code Cannot parse column 'rating' as int32: "five"}
   * @param source the source's name, e.g. the file name
   * @param line the 1-based line the record starts at, or -1 if not line-based
   * @param column the column's name, or null when the record as a whole is bad
   * @param rawRecord the record as read, or null if unknown
   */
  public BadRecordException(
      String problem, String source, long line, String column, String rawRecord) {
    super(problem + " (" + source + (line > 0 ? ", line " + line : "") + ")");
    this.problem = problem;
    this.source = source;
    this.line = line;
    this.column = column;
    this.rawRecord = rawRecord;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  public String source() {
    return source;
  }

  /** The 1-based line the record starts at, or -1. */
  public long line() {
    return line;
  }

  /** The name of the offending column, or null. */
  public String column() {
    return column;
  }

  /** The record as read from the source, or null. */
  public String rawRecord() {
    return rawRecord;
  }

  /**
   * This exception with an unknown source ({@code null}) or line ({@code -1}) filled in, for the
   * runtime to locate a record a transformer refused; {@code this} if both are known already. The
   * new exception's cause is this one.
   */
  public BadRecordException located(String sourceName, long recordLine) {
    boolean fillSource = source == null && sourceName != null;
    boolean fillLine = line <= 0 && recordLine > 0;
    if (!fillSource && !fillLine) {
      return this;
    }
    BadRecordException e =
        new BadRecordException(
            problem,
            fillSource ? sourceName : source,
            fillLine ? recordLine : line,
            column,
            rawRecord);
    e.initCause(this);
    return e;
  }
}
