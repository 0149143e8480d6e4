using System.Text;
using McpGateway.Hosting.Logging;

namespace McpGateway.Tests.Hosting.Logging;

public sealed class ConsoleLineWriterTests
{
    [Fact]
    public void Lines_from_many_threads_arrive_whole_and_each_threads_in_its_order()
    {
        var console = new CapturedStream();
        using (var writer = new ConsoleLineWriter(console, 64 * 1024, dropWhenFull: false))
        {
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
            {
                var line = new StringBuilder();
                for (var n = 0; n < 500; n++)
                {
                    line.Clear().Append("thread ").Append(thread).Append(" line ").Append(n).Append(' ', n % 37).Append('|').Append('\n');
                    writer.Write(line);
                }
            });
        }

        var lines = console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8 * 500, lines.Length);
        foreach (var thread in lines.GroupBy(line => line.Split(' ')[1]))
        {
            var numbers = thread.Select(line => int.Parse(line.Split(' ')[3].TrimEnd('|'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, 500), numbers);
        }

        Assert.All(lines, line => Assert.EndsWith("|", line, StringComparison.Ordinal));
    }

    [Fact]
    public void The_lines_logged_while_a_write_is_under_way_go_out_together_in_the_next_write()
    {
        var console = new CapturedStream();
        console.Hold();
        using (var writer = new ConsoleLineWriter(console, 64 * 1024, dropWhenFull: false))
        {
            writer.Write(new StringBuilder("first\n"));
            Assert.True(console.Entered.Wait(TimeSpan.FromSeconds(10)));
            for (var n = 0; n < 99; n++)
            {
                writer.Write(new StringBuilder($"later {n}\n"));
            }

            console.Release();
        }

        Assert.Equal(2, console.Writes);
        var lines = console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["first", .. Enumerable.Range(0, 99).Select(n => $"later {n}")], lines);
    }

    [Fact]
    public void A_character_split_between_two_chunks_of_the_builder_is_encoded_whole()
    {
        var text = new StringBuilder(16).Append('a', 15).Append("😀 é ok\n");
        Assert.True(CountChunks(text) > 1);
        var console = new CapturedStream();
        using (var writer = new ConsoleLineWriter(console, 1024, dropWhenFull: false))
        {
            writer.Write(text);
        }

        Assert.Equal(Encoding.UTF8.GetBytes(new string('a', 15) + "😀 é ok\n"), console.Bytes);
    }

    [Fact]
    public void When_told_to_drop_a_line_that_finds_the_buffer_full_is_dropped_and_the_next_write_says_how_many()
    {
        var console = new CapturedStream();
        console.Hold();
        long dropped;
        using (var writer = new ConsoleLineWriter(console, 256, dropWhenFull: true))
        {
            writer.Write(new StringBuilder("first\n"));
            Assert.True(console.Entered.Wait(TimeSpan.FromSeconds(10)));
            for (var n = 0; n < 20; n++)
            {
                // 40 bytes a line: a few fit into 256 bytes beside the one being written, the rest find the buffer full.
                writer.Write(new StringBuilder($"line {n:D2} ").Append('.', 32).Append('\n'));
            }

            dropped = writer.Dropped;
            console.Release();
        }

        var lines = console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(dropped, 10, 19);
        Assert.Equal(20 - dropped, lines.Count(line => line.StartsWith("line ", StringComparison.Ordinal)));
        Assert.Equal($"{dropped} log line(s) dropped", lines[^1][..$"{dropped} log line(s) dropped".Length]);
        Assert.Contains("Logging:Console:QueueFullMode", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otherwise_a_line_that_finds_the_buffer_full_waits_for_the_write_and_nothing_is_lost()
    {
        var console = new CapturedStream();
        console.Hold();
        using (var writer = new ConsoleLineWriter(console, 256, dropWhenFull: false))
        {
            writer.Write(new StringBuilder("first\n"));
            Assert.True(console.Entered.Wait(TimeSpan.FromSeconds(10)));
            var logging = Task.Run(() =>
            {
                for (var n = 0; n < 50; n++)
                {
                    writer.Write(new StringBuilder($"line {n:D2}\n"));
                }
            });

            // 50 lines are far more than 256 bytes: the logging thread cannot finish while the console holds the first write.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.False(logging.IsCompleted);
            console.Release();
            await logging.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, writer.Dropped);
        }

        var lines = console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["first", .. Enumerable.Range(0, 50).Select(n => $"line {n:D2}")], lines);
    }

    [Fact]
    public void Dispose_writes_what_is_queued_and_a_line_logged_afterwards_is_written_before_its_call_returns()
    {
        var console = new CapturedStream();
        console.Hold();
        var writer = new ConsoleLineWriter(console, 64 * 1024, dropWhenFull: false);
        writer.Write(new StringBuilder("first\n"));
        Assert.True(console.Entered.Wait(TimeSpan.FromSeconds(10)));
        writer.Write(new StringBuilder("queued\n"));
        console.Release();
        writer.Dispose();
        Assert.Equal("first\nqueued\n", console.Text);

        writer.Write(new StringBuilder("late\n"));
        Assert.Equal("first\nqueued\nlate\n", console.Text);
    }

    private static int CountChunks(StringBuilder text)
    {
        var count = 0;
        foreach (var _ in text.GetChunks())
        {
            count++;
        }

        return count;
    }
}
