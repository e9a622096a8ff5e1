<?php
$t = preg_split('/\s+/', trim(stream_get_contents(STDIN)));
switch ($t[0]) {
    case 'hello':
        echo "Hello, World!\n";
        break;
    case 'sum':
        echo intval($t[1]) + intval($t[2]), "\n";
        break;
    case 'loop':
        $x = 2;
        while ($x != 0) $x = $x * $x % 1000003;
        echo $x, "\n";
        break;
    case 'args':
        foreach (array_slice($argv, 1) as $a) echo strlen($a), ':', $a, '|';
        echo "\n";
        break;
    case 'crash':
        throw new Exception('crash on purpose');
    case 'alloc':
        $keep = [];
        for (;;) $keep[] = str_repeat('x', 1 << 20);
}
