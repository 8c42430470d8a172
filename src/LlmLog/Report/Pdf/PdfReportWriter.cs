namespace LlmLog.Report.Pdf;

/// <summary>Writes the report as a paginated PDF.</summary>
public static class PdfReportWriter
{
    public static void Write(ReportData data, string path) => throw new NotImplementedException();
}
