with Ada.Text_IO; use Ada.Text_IO;
with Ada.Long_Long_Integer_Text_IO; use Ada.Long_Long_Integer_Text_IO;
with Ada.Strings.Fixed; use Ada.Strings.Fixed;
with Ada.Command_Line;

procedure Conformance is
   type Chunk is array (1 .. 1_048_576) of Character;
   type Chunk_Access is access Chunk;
   Line : constant String := Get_Line;
   Space : constant Natural := Index (Line & " ", " ");
   Mode : constant String := Line (Line'First .. Space - 1);
   A, B, X : Long_Long_Integer;
   Last : Positive;
   P : Chunk_Access;
begin
   if Mode = "hello" then
      Put_Line ("Hello, World!");
   elsif Mode = "sum" then
      Get (Line (Space .. Line'Last), A, Last);
      Get (Line (Last + 1 .. Line'Last), B, Last);
      Put (A + B, Width => 0);
      New_Line;
   elsif Mode = "loop" then
      X := 2;
      while X /= 0 loop
         X := X * X mod 1_000_003;
      end loop;
      Put (X, Width => 0);
      New_Line;
   elsif Mode = "args" then
      for I in 1 .. Ada.Command_Line.Argument_Count loop
         declare
            A : constant String := Ada.Command_Line.Argument (I);
         begin
            Put (Trim (Integer'Image (A'Length), Ada.Strings.Left) & ":" & A & "|");
         end;
      end loop;
      New_Line;
   elsif Mode = "crash" then
      raise Program_Error with "crash on purpose";
   elsif Mode = "alloc" then
      loop
         P := new Chunk'(others => 'x');
      end loop;
   end if;
end Conformance;
