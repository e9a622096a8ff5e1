import qualified Data.ByteString.Char8 as B
import Data.IORef
import Control.Monad (forever)
import System.Environment (getArgs)
import System.IO
import qualified Data.Text as T
import qualified Data.Text.Encoding as TE

loop :: Int -> Int
loop 0 = 0
loop x = loop (x * x `mod` 1000003)

main :: IO ()
main = do
  t <- words <$> getContents
  case t of
    ("hello" : _) -> putStrLn "Hello, World!"
    ("sum" : a : b : _) -> print (read a + read b :: Integer)
    ("loop" : _) -> print (loop 2)
    ("args" : _) -> do
      args <- getArgs
      let enc = TE.encodeUtf8 . T.pack
      B.putStr (B.concat [B.concat [B.pack (show (B.length (enc a))), B.pack ":", enc a, B.pack "|"] | a <- args])
      B.putStr (B.pack "\n")
    ("crash" : _) -> print (head (drop 5 t) :: String) >> error "crash on purpose"
    ("alloc" : _) -> do
      ref <- newIORef []
      forever $ do
        let b = B.replicate (1024 * 1024) 'x'
        B.length b `seq` modifyIORef' ref (b :)
    _ -> return ()
